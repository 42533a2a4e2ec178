// SPDX-License-Identifier: Apache-2.0
#pragma once

// LeaseCoordinator: splits a sharded change stream (ports/shard_stream.h) between the processes
// that run it, by leases in a LeaseTable (platform/lease_table.h), as the Kinesis Client Library
// does, and processes the shards it holds with one StreamMapping each (platform/lease_worker.h).
//
// Every tick (a third of the lease duration) on its own thread, it
// - renews each lease it holds (a conditional write); a lease found changed is lost, and its
//   shard's mapping is stopped; so is one whose deadline passed without a successful write;
// - releases the lease of a shard read to its end (checkpoint SHARD_END, owner removed) and stops
//   its mapping: the shard's children become available;
// - creates the leases of shards that have none (list_shards, at start, every
//   shard_sync_interval and after a shard ended), and deletes those of shards no longer listed
//   (trimmed) once free or expired. The first leases of a stream start at the
//   mapping's StartingPosition, resolved per shard at creation (LATEST: the shard's newest
//   record then, closed shards SHARD_END) so that a later taker resumes exactly there; any lease
//   created later starts at TRIM_HORIZON (a new shard's records all come after);
// - takes available leases up to its fair share: ceil(available and held leases / live owners),
//   the live owners being itself and the owners of leases that are not expired. A lease is
//   available when its shard has not ended, each parent's lease has ended (or is gone), and it
//   is free (released) or expired: its owner and counter unchanged for a whole lease duration
//   as seen by this process. A taker resumes from the lease's checkpoint;
// - when it still holds fewer than floor(leases / live owners), steals one lease (per tick) from
//   the live owner holding the most, if that one holds more than its share; a stolen lease is
//   read only after a whole lease duration, when the former owner's deadline has passed (it
//   finds the lease lost at its next write).
// A lease is taken, renewed, checkpointed and released only by conditional writes on its
// counter, and a holder stops reading a shard at the deadline its last successful write gives
// it, which comes before any other process can see the lease as expired: two live processes
// never read one shard at once (clocks need not agree, only run at the same rate).
//
// Lease events are logged with the shard, the owner and the time in ms (LeaseHold, lease_worker.h;
// "lease created" at INFO, "lease removed" at INFO or WARNING): together they are the history
// tests check for overlapping reads (tests/support/lease_history.h).
// Threading: start() runs the loop; stop() stops every mapping (in-flight batches finish and
// are checkpointed), then releases the leases held so that others take them at once.
// tick() runs one cycle on the caller's thread (tests); do not call it while started.
// stats(), held() and oldest_pending_ms() are safe from any thread. Everything passed in must
// outlive the coordinator.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "functions/handler.h"
#include "functions/logging.h"
#include "platform/lease_table.h"
#include "platform/lease_worker.h"
#include "platform/mapping_config.h"
#include "ports/clock.h"
#include "ports/shard_stream.h"

namespace cartflow::platform {

struct LeaseCoordinatorOptions {
  std::string owner;  // this process's id, unique among the processes on the table
  std::chrono::milliseconds lease_duration{10'000};
  std::chrono::milliseconds shard_sync_interval{10'000};
};

class LeaseCoordinator {
 public:
  // Validates `mapping` (kInvalidArgument) and the options (an empty owner, a duration under
  // 30 ms: kInvalidArgument). Reads nothing yet.
  static model::Result<std::unique_ptr<LeaseCoordinator>> create(
      LeaseCoordinatorOptions options, StreamMappingConfig mapping,
      ports::ShardedChangeStream& stream, LeaseTable& leases, functions::Handler& handler,
      const ports::Clock& clock, const functions::Logger& logger);
  ~LeaseCoordinator();  // stop()
  LeaseCoordinator(const LeaseCoordinator&) = delete;
  LeaseCoordinator& operator=(const LeaseCoordinator&) = delete;

  // Creates the leases of the shards that have none (as a tick does), so that the first leases'
  // LATEST is now: records written after prepare() returns are processed. Fails with the table's
  // or the stream's error.
  model::Status prepare();

  void start();
  // Stops the loop and every mapping; with `release`, frees the leases held (a crash, for
  // tests, without). Idempotent.
  void stop(bool release = true);

  // One cycle (see above). Fails with the first table or stream error of the cycle; the cycle
  // still does what it can (renewals come first).
  model::Status tick();

  // Shards whose leases this process holds now.
  std::vector<std::string> held() const;
  // The mappings' counters, over every shard held so far.
  MappingStatsSnapshot stats() const;
  // Creation time (ms) of the oldest unprocessed record of the shards held, if any.
  std::optional<std::int64_t> oldest_pending_ms() const;
  const LeaseCoordinatorOptions& options() const { return options_; }

 private:
  struct Seen {
    std::string owner;
    std::int64_t counter = 0;
    std::chrono::steady_clock::time_point since;
  };

  LeaseCoordinator(LeaseCoordinatorOptions options, StreamMappingConfig mapping,
                   ports::ShardedChangeStream& stream, LeaseTable& leases,
                   functions::Handler& handler, const ports::Clock& clock,
                   const functions::Logger& logger)
      : options_(std::move(options)), mapping_(std::move(mapping)), stream_(stream),
        leases_(leases), handler_(handler), clock_(clock), logger_(logger) {}

  void run();
  void renew_held();
  model::Status sync_shards(const std::vector<Lease>& leases);
  void remove_trimmed(const std::vector<Lease>& leases, const std::set<std::string>& listed);
  model::Result<std::string> first_checkpoint(const ports::ShardDescription& shard, bool first);
  model::Status take_leases(const std::vector<Lease>& leases);
  bool take(const Lease& lease, bool steal);
  void steal_one(const std::vector<Lease>& leases, const std::function<bool(const Lease&)>& ready,
                 std::size_t share);
  void retire(const std::string& shard);

  const LeaseCoordinatorOptions options_;
  const StreamMappingConfig mapping_;
  ports::ShardedChangeStream& stream_;
  LeaseTable& leases_;
  functions::Handler& handler_;
  const ports::Clock& clock_;
  const functions::Logger& logger_;

  std::map<std::string, Seen> seen_;  // used by the tick's thread only
  std::chrono::steady_clock::time_point synced_at_;  // likewise
  bool synced_ = false;                              // likewise

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<ShardWorker>> workers_;  // GUARDED_BY(mutex_)
  MappingStatsSnapshot retired_;                                 // GUARDED_BY(mutex_)
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cartflow::platform
