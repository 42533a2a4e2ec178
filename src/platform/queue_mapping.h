// SPDX-License-Identifier: Apache-2.0
#pragma once

// QueueMapping: the local SQS event source mapping, behaving like Lambda's.
//
// MaximumConcurrency pollers each long-poll the queue for up to BatchSize messages (waiting up
// to MaximumBatchingWindowInSeconds to fill a batch), build the SQS event Lambda sends, invoke
// the handler and delete the messages that succeeded (DeleteMessageBatch). A function error, or
// an unreadable response, leaves the whole batch: its messages come back after the queue's
// visibility timeout. With ReportBatchItemFailures, only the messages named in
// batchItemFailures (itemIdentifier = messageId) are left; an identifier that is not in the
// batch fails the whole batch, as on AWS. The queue's own redrive policy moves a message to the
// dead-letter queue once it has been received maxReceiveCount times.
//
// Threading: start() runs the pollers on threads of their own; stop() lets in-flight batches
// finish (invoke and delete), then joins; a poller waiting in a long poll returns within
// config.poll_wait. poll_once() runs one batch on the caller's thread. stats() is safe from any
// thread. The handler must be thread-safe (functions::Handler's contract).

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "functions/handler.h"
#include "functions/logging.h"
#include "model/result.h"
#include "platform/mapping_config.h"
#include "platform/mapping_config_stats.h"
#include "ports/queue.h"

namespace cartflow::platform {

class QueueMapping {
 public:
  // Validates `config` (kInvalidArgument). `queue` and `handler` must outlive the mapping, and
  // `logger` when given (the program's logger; null: a logger of its own on stderr).
  static model::Result<std::unique_ptr<QueueMapping>> create(
      QueueMappingConfig config, ports::Queue& queue, functions::Handler& handler,
      const functions::Logger* logger = nullptr);
  ~QueueMapping();  // stop()
  QueueMapping(const QueueMapping&) = delete;
  QueueMapping& operator=(const QueueMapping&) = delete;

  // Starts config.maximum_concurrency pollers; a second start() while running does nothing.
  void start();
  // Stops and joins (see above). Idempotent.
  void stop();

  // One batch: receive (long poll up to config.poll_wait), invoke, delete the successes.
  // Returns how many messages were received (0: none). Fails when receiving fails.
  model::Result<std::size_t> poll_once();

  MappingStatsSnapshot stats() const { return stats_.snapshot(); }
  const QueueMappingConfig& config() const { return config_; }

 private:
  QueueMapping(QueueMappingConfig config, ports::Queue& queue, functions::Handler& handler,
               const functions::Logger* logger)
      : config_(std::move(config)),
        queue_(queue),
        handler_(handler),
        own_logger_(logger == nullptr ? std::make_unique<functions::Logger>(
                                            "cartflow", functions::stderr_sink())
                                      : nullptr),
        logger_(logger == nullptr ? *own_logger_ : *logger) {}
  void run();
  // Indices of the messages to delete after an invocation of `messages` answered `response`.
  std::vector<std::size_t> successes(const std::vector<ports::Message>& messages,
                                     const model::Result<std::string>& response);

  const QueueMappingConfig config_;
  ports::Queue& queue_;
  functions::Handler& handler_;
  const std::unique_ptr<functions::Logger> own_logger_;
  const functions::Logger& logger_;
  MappingStats stats_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> request_counter_{0};
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;  // GUARDED_BY(threads_mutex_)
};

}  // namespace cartflow::platform
