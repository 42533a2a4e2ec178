// SPDX-License-Identifier: Apache-2.0
#pragma once

// StreamMapping: the local DynamoDB-stream event source mapping, behaving like Lambda's.
//
// From its durable checkpoint it reads up to BatchSize records (waiting up to
// MaximumBatchingWindowInSeconds to fill a batch), turns them into the DynamoDB stream event
// Lambda sends, drops the records FilterCriteria rejects, and invokes the handler with the rest.
// A function error (or, with ReportBatchItemFailures, a response naming a SequenceNumber) fails
// the batch: it is retried with exponential backoff from the first failed record; with
// BisectBatchOnFunctionError a batch that errors is split in two and each half retried on its
// own. After MaximumRetryAttempts retries, or when its oldest record is older than
// MaximumRecordAgeInSeconds (ports::Clock), the failing records are described in an on-failure
// record (Lambda's JSON: requestContext, responseContext, DDBStreamBatchInfo) sent to the
// DestinationConfig OnFailure queue, and the mapping moves on. The checkpoint advances only past
// records that succeeded, were filtered out or were sent to the on-failure destination, so a
// restart re-delivers anything else (at least once, in order).
//
// Threading: start() runs the loop on one thread of its own; stop() lets an in-flight
// invocation finish and record its outcome, skips further retries, and joins. poll_once() runs
// one cycle on the caller's thread (for tests and `cartflow` one-shot use); do not call it while
// started. stats() and checkpoint() are safe from any thread.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "events/filter_pattern.h"
#include "functions/handler.h"
#include "functions/logging.h"
#include "model/result.h"
#include "platform/mapping_config.h"
#include "platform/mapping_config_stats.h"
#include "platform/stream_mapping_checkpoint.h"
#include "ports/change_stream.h"
#include "ports/clock.h"

namespace cartflow::platform {

class StreamMapping {
 public:
  // Validates `config` (kInvalidArgument), then loads the checkpoint; without one, starts at
  // StartingPosition (LATEST: the newest record now; TRIM_HORIZON: the oldest retained) and
  // saves that position at once, so records written after creation are never skipped.
  // kUnavailable when the checkpoint store or the stream fails. The references must outlive
  // the mapping; config.on_failure likewise, and `logger` when given (the program's logger;
  // null: a logger of its own on stderr).
  static model::Result<std::unique_ptr<StreamMapping>> create(StreamMappingConfig config,
                                                              ports::ChangeStream& stream,
                                                              CheckpointStore& checkpoints,
                                                              functions::Handler& handler,
                                                              const ports::Clock& clock,
                                                              const functions::Logger* logger =
                                                                  nullptr);
  ~StreamMapping();  // stop()
  StreamMapping(const StreamMapping&) = delete;
  StreamMapping& operator=(const StreamMapping&) = delete;

  // Starts the polling thread; a second start() while running does nothing.
  void start();
  // Stops and joins (see the threading note above). Idempotent.
  void stop();

  // One cycle: read one batch (waiting up to config.poll_wait for the first record), filter,
  // deliver it until every record is resolved (or stop() is requested), checkpoint. Returns the
  // number of records read (0 when the stream had none). Fails only when reading the stream or
  // saving the checkpoint fails.
  model::Result<std::size_t> poll_once();

  MappingStatsSnapshot stats() const { return stats_.snapshot(); }
  ports::StreamPosition checkpoint() const;
  const StreamMappingConfig& config() const { return config_; }

 private:
  StreamMapping(StreamMappingConfig config, ports::ChangeStream& stream,
                CheckpointStore& checkpoints, functions::Handler& handler,
                const ports::Clock& clock, events::FilterCriteria criteria,
                const functions::Logger* logger);

  struct Pending;  // one read set being delivered (stream_mapping.cpp)
  enum class Outcome { kSuccess, kPartial, kError };

  void run();
  bool deliver(Pending& p, std::vector<std::size_t> list, int failures);
  Outcome invoke(const Pending& p, const std::vector<std::size_t>& list, std::size_t& first_failed);
  bool send_on_failure(const Pending& p, const std::vector<std::size_t>& list,
                       const char* condition, int invoke_count, bool function_error);
  bool resolve(Pending& p, std::size_t index);
  model::Status commit(Pending& p, std::size_t count);
  bool sleep_backoff(int failures);

  const StreamMappingConfig config_;
  ports::ChangeStream& stream_;
  CheckpointStore& checkpoints_;
  functions::Handler& handler_;
  const ports::Clock& clock_;
  const events::FilterCriteria criteria_;
  const std::unique_ptr<functions::Logger> own_logger_;
  const functions::Logger& logger_;

  MappingStats stats_;
  mutable std::mutex mutex_;
  ports::StreamPosition checkpoint_;  // GUARDED_BY(mutex_)
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cartflow::platform
