// SPDX-License-Identifier: Apache-2.0
#pragma once

// The history of the shard leases, read from the JSON log lines the lease coordinator writes
// (platform/lease_worker.h: "lease taken", "lease stolen", "lease renewed", "lease checkpointed",
// "lease released", "lease lost", and at DEBUG "lease read" for every read that delivered
// records), and the check that no shard was read by two owners at once:
// - a read of shard S by owner X starts after X acquired S (taken: at once; stolen: once the
//   former owner's deadline passed) and ends within the deadline X's last write gave it;
// - it ends before any later acquisition of S by another owner becomes effective.
// Pure functions; times are the lines' milliseconds, which share the machine's clock.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cartflow::support {

struct LeaseEvent {
  std::string message;  // "lease taken", "lease read", ...
  std::string shard;
  std::string owner;
  std::int64_t at_ms = 0;           // when logged (read: start_ms)
  std::int64_t valid_until_ms = 0;  // writes: the deadline they gave
  std::int64_t end_ms = 0;          // reads
  std::int64_t records = 0;         // reads
  std::string checkpoint;           // writes: the lease's checkpoint after them
};

// The lease lines among `log` (one JSON object per line; other lines skipped).
std::vector<LeaseEvent> parse_lease_events(std::string_view log);

struct LeaseHistoryCheck {
  std::vector<std::string> violations;  // empty: the history is sound
  std::size_t reads = 0;
  std::size_t acquisitions = 0;
  std::map<std::string, std::vector<std::string>> owners_by_shard;  // in acquisition order
};

// Checks the rules above over every event (any order; several processes' logs together).
// `tolerance_ms` absorbs the clock reads' rounding.
LeaseHistoryCheck check_lease_history(std::vector<LeaseEvent> events, std::int64_t tolerance_ms = 5);

}  // namespace cartflow::support
