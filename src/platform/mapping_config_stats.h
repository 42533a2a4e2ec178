// SPDX-License-Identifier: Apache-2.0
#pragma once

// Counters of an event source mapping, for /metrics and `cartflow status`. Updated with relaxed
// atomics by the mapping's threads; snapshot() may be called from any thread.

#include <atomic>
#include <cstdint>

namespace cartflow::platform {

struct MappingStatsSnapshot {
  std::uint64_t batches = 0;             // function invocations
  std::uint64_t records = 0;             // records (messages) delivered, counting re-deliveries
  std::uint64_t filtered = 0;            // records dropped by FilterCriteria (stream)
  std::uint64_t errors = 0;              // failed invocations (function error or partial failure)
  std::uint64_t retries = 0;             // stream: batch retries; queue: messages left to return
  std::uint64_t on_failure_records = 0;  // records sent to the on-failure destination (stream)
  std::uint64_t source_errors = 0;       // failed reads/receives/deletes/checkpoint saves
};

struct MappingStats {
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> records{0};
  std::atomic<std::uint64_t> filtered{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> on_failure_records{0};
  std::atomic<std::uint64_t> source_errors{0};

  MappingStatsSnapshot snapshot() const {
    constexpr auto r = std::memory_order_relaxed;
    return {batches.load(r), records.load(r),          filtered.load(r),     errors.load(r),
            retries.load(r), on_failure_records.load(r), source_errors.load(r)};
  }
  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
};

}  // namespace cartflow::platform
