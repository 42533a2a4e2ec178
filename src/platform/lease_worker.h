// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to LeaseCoordinator (platform/lease_coordinator.h): one held lease and the stream
// mapping that processes its shard.
//
// LeaseHold: the lease as this process last wrote it, and until when it may act on it. A write
// that started at time t and succeeded proves the lease was ours at t; the coordinators of other
// processes take a lease only after seeing its counter unchanged for a whole lease duration, so
// the lease is ours until t + duration (held()), and no longer once a write finds it changed
// (kConditionFailed: lost) or that deadline passes without a successful write. Every write is
// one LeaseTable call, serialized by the hold's mutex (renewals from the coordinator's thread,
// checkpoints from the mapping's).
//
// ShardWorker: a StreamMapping over the shard alone, reading through a view that refuses to read
// (kUnavailable) when the lease is not held, waits at most until the lease's deadline, and drops
// what a read returned when the deadline passed during it; its checkpoints are written into the
// lease (LeaseHold::checkpoint), so a lost lease stops the shard's checkpoints too.
//
// Thread-safe. The table, stream, handler, clock and logger must outlive the objects.

#include <chrono>
#include <functional>
#include <optional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "functions/handler.h"
#include "functions/logging.h"
#include "platform/lease_table.h"
#include "platform/mapping_config.h"
#include "platform/mapping_config_stats.h"
#include "platform/stream_mapping.h"
#include "ports/clock.h"
#include "ports/shard_stream.h"

namespace cartflow::platform {

class LeaseHold {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  // `lease` was written by a write that started at `written_at` (steady) / `written_ms` (clock).
  // `stolen`: taken from a live owner, who may read until its own deadline: held() only after a
  // whole lease duration. Logs "lease taken" or "lease stolen" (INFO) with the deadline.
  LeaseHold(LeaseTable& table, Lease lease, std::chrono::milliseconds duration, SteadyTime written_at,
            std::int64_t written_ms, bool stolen, const ports::Clock& clock,
            const functions::Logger& logger);

  // True while the shard may be read: not lost, the deadline not passed, and (stolen) the former
  // owner's deadline passed.
  bool held() const;
  // The deadline passed without a successful write.
  bool expired() const;
  SteadyTime deadline() const;
  Lease lease() const;
  bool lost() const;

  // Conditional writes (LeaseTable): on success the deadline moves to the write's start +
  // duration; kConditionFailed marks the lease lost. Other errors change nothing (the deadline
  // may still pass). Each logs a line: "lease renewed" (DEBUG), "lease checkpointed" (DEBUG),
  // "lease released" (INFO), "lease lost" (INFO).
  model::Status renew();
  model::Status checkpoint(const std::string& checkpoint);
  model::Status release();
  // Marks the lease lost without a write (its deadline passed, the coordinator gave it up).
  void lose(const char* reason);

 private:
  model::Status write(const char* what, functions::LogLevel level,
                      const std::function<model::Result<Lease>(const Lease&)>& call);
  void log(functions::LogLevel level, const char* message, const Lease& lease,
           std::int64_t valid_until_ms, const char* reason) const;

  LeaseTable& table_;
  const std::chrono::milliseconds duration_;
  const ports::Clock& clock_;
  const functions::Logger& logger_;
  mutable std::mutex mutex_;  // held across each write: one write at a time
  Lease lease_;               // GUARDED_BY(mutex_)
  SteadyTime deadline_;       // GUARDED_BY(mutex_)
  const SteadyTime not_before_;
  bool lost_ = false;         // GUARDED_BY(mutex_)
};

class ShardWorker {
 public:
  // Opens the shard's view and a StreamMapping on it from the lease's checkpoint (`config`, its
  // mapping_id and shard_id set to the shard's), and starts the mapping. Fails with the
  // mapping's errors (nothing then runs, and the lease is released).
  static model::Result<std::unique_ptr<ShardWorker>> start(std::unique_ptr<LeaseHold> hold,
                                                           StreamMappingConfig config,
                                                           ports::ShardedChangeStream& stream,
                                                           functions::Handler& handler,
                                                           const ports::Clock& clock,
                                                           const functions::Logger& logger);
  ~ShardWorker();  // stop()
  ShardWorker(const ShardWorker&) = delete;
  ShardWorker& operator=(const ShardWorker&) = delete;

  LeaseHold& hold() { return *hold_; }
  // The mapping's last checkpoint is SHARD_END: every record of the shard was resolved.
  bool ended() const;
  // Stops the mapping (its in-flight batch finishes and is checkpointed if the lease allows).
  void stop();
  MappingStatsSnapshot stats() const;
  // Creation time (ms) of the oldest record after the checkpoint, if one is there now and the
  // lease is held.
  std::optional<std::int64_t> oldest_pending_ms();

 private:
  ShardWorker() = default;
  std::unique_ptr<LeaseHold> hold_;
  ports::ShardedChangeStream* stream_ = nullptr;
  std::string shard_;
  std::unique_ptr<ports::ChangeStream> view_;
  std::unique_ptr<ports::ChangeStream> guarded_;
  std::unique_ptr<CheckpointStore> checkpoints_;
  std::unique_ptr<StreamMapping> mapping_;
};

// Adds `b` to `a`, counter by counter.
void add_stats(MappingStatsSnapshot& a, const MappingStatsSnapshot& b);

}  // namespace cartflow::platform
