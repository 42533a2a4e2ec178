// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqliteQueue: ports::Queue with the semantics of an SQS standard queue, stored in the
// Database (several named queues per file, e.g. a queue and its dead-letter queue).
//
// Errors: expected failures are kInvalidArgument whose message starts with the SQS error code
// and ": " ("ReceiptHandleIsInvalid: ...", "InvalidMessageContents: Invalid characters found
// ...", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct: ..."), so an HTTP edge can map them;
// kNotFound for a queue that does not exist; kUnavailable when the database cannot write.
// Times (SentTimestamp, visibility, delay, retention) come from the injected Clock; only a long
// poll's wait is in real time. Thread-safe: every change runs in one Database write, so two
// concurrent receivers never get the same message within its visibility timeout. Sends are
// durable writes; receive and delete are deferred ones (Database::Sync::kDeferred: no fsync of
// their own, on disk with the next durable commit), as a power cut losing them only redelivers.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "ports/clock.h"
#include "ports/queue.h"

namespace cartflow::embedded {

struct RedrivePolicy {
  std::string dead_letter_queue;  // name of a queue in the same Database; must exist at open
  int max_receive_count = 10;     // 1..1000: received this many times, the next receive moves it
};

// SQS queue attributes. Ranges as SQS: out-of-range values fail open() with kInvalidArgument.
struct QueueConfig {
  std::string name;                           // [A-Za-z0-9_-]{1,80}
  int visibility_timeout_seconds = 30;        // 0..43200
  int message_retention_seconds = 345'600;    // 60..1209600 (4 days by default)
  int delay_seconds = 0;                      // 0..900
  int maximum_message_size = 262'144;         // 1024..262144 bytes, body plus attributes
  std::optional<RedrivePolicy> redrive_policy;
};

class SqliteQueue final : public ports::Queue {
 public:
  // Creates the queue named config.name, or opens it and stores `config` as its attributes
  // (like SetQueueAttributes). Fails with kInvalidArgument for a bad config, kNotFound when the
  // redrive policy names a queue that does not exist (or itself), kUnavailable on write errors.
  // `db` and `clock` must outlive the queue.
  static Result<std::unique_ptr<SqliteQueue>> open(Database& db, const ports::Clock& clock,
                                                   const QueueConfig& config);
  // Opens an existing queue with its stored attributes; kNotFound when there is none.
  static Result<std::unique_ptr<SqliteQueue>> open_existing(Database& db,
                                                            const ports::Clock& clock,
                                                            const std::string& name);

  const std::string& name() const override { return config_.name; }
  const QueueConfig& config() const { return config_; }

  // Fails with kInvalidArgument: "MissingParameter" (empty body), "InvalidParameterValue"
  // (too long, bad delay, bad attribute), "InvalidMessageContents" (characters SQS rejects).
  Result<ports::SendSuccess> send(const ports::SendEntry& entry) override;
  // Whole-call failures (kInvalidArgument): AWS.SimpleQueueService.EmptyBatchRequest,
  // .TooManyEntriesInBatchRequest, .InvalidBatchEntryId, .BatchEntryIdsNotDistinct,
  // .BatchRequestTooLong (entries together over 256 KiB). Otherwise per-entry results, in
  // entry order; the valid entries are stored in one transaction.
  Result<ports::SendBatchResult> send_batch(const std::vector<ports::SendEntry>& entries) override;
  // Up to max_messages (1..10) visible messages, each with a new receipt handle (older handles
  // of it become invalid), its receive count incremented, and hidden for the visibility timeout
  // (request 0..43200 s, or the queue's). Messages past retention are deleted, never delivered;
  // a message already received max_receive_count times is moved to the dead-letter queue in
  // the same transaction instead. With wait (0..20 s) and nothing visible, blocks until a
  // commit or the next delay/visibility expiry may make one visible, without polling.
  Result<std::vector<ports::Message>> receive(const ports::ReceiveRequest& request) override;
  // Fails with "ReceiptHandleIsInvalid" for a malformed, unknown or stale handle (the message
  // was received again, deleted, moved or expired).
  Status remove(const std::string& receipt_handle) override;
  // Same id rules as send_batch (whole-call errors); per-entry ReceiptHandleIsInvalid.
  Result<ports::DeleteBatchResult> remove_batch(
      const std::vector<ports::DeleteEntry>& entries) override;
  // Hides the message for timeout_seconds (0..43200) from now; 0 makes it visible now. Fails
  // with "ReceiptHandleIsInvalid" (stale) or "MessageNotInflight" (its timeout already ended).
  Status change_visibility(const std::string& receipt_handle, int timeout_seconds) override;
  // visible: receivable now; in_flight: received and hidden; delayed: not yet visible and
  // never received since enqueued. Excludes messages past retention.
  Result<ports::QueueCounts> counts() override;
  // Deletes every message of this queue (at once; SQS's 60 s purge interval is not enforced).
  Status purge() override;

  // Peeks at up to `limit` (>= 1) messages, oldest first, without receiving them: receipt
  // handles are empty and nothing changes. For `cartflow dlq list`.
  Result<std::vector<ports::Message>> list_messages(int limit);
  // Moves every message of this queue to `destination` in one transaction, as
  // StartMessageMoveTask does: each becomes a new message there (new MessageId, SentTimestamp
  // now, receive count 0, the destination's delay). Returns how many moved; kNotFound when
  // `destination` does not exist. For `cartflow dlq redrive`.
  Result<std::int64_t> redrive_all(const std::string& destination);

 private:
  SqliteQueue(Database& db, const ports::Clock& clock, QueueConfig config, std::int64_t id,
              std::int64_t dlq_id)
      : db_(db), clock_(clock), config_(std::move(config)), id_(id), dlq_id_(dlq_id) {}

  // One receive attempt, in one write: expires, redrives and delivers (no wait).
  Result<std::vector<ports::Message>> receive_now(int max_messages, int visibility_seconds);
  // Reads, without writing, the earliest visible_at_ms in the queue (nullopt when empty).
  Result<std::optional<std::int64_t>> earliest_visible_ms();
  Status insert_messages(const std::vector<const ports::SendEntry*>& entries,
                         std::vector<ports::SendSuccess>& out);

  Database& db_;
  const ports::Clock& clock_;
  const QueueConfig config_;
  const std::int64_t id_;
  const std::int64_t dlq_id_;  // 0 without a redrive policy
};

}  // namespace cartflow::embedded
