// SPDX-License-Identifier: Apache-2.0
#pragma once

// DDL of the embedded queues (queues, messages), part of schema version 1. Owned by the queue's
// authors (sqlite_queue.cpp); applied by the Database's migrations (schema.cpp).
//
// queues: one row per named queue, holding its attributes (SQS queue attributes).
// queue_messages: one row per message, whichever queue it is in. A move to a dead-letter queue
// only changes queue_id, so the message keeps its row, id, body and enqueue time.
//   visible_at_ms  Clock time from which the message can be received (delay, visibility timeout)
//   receipt        nonce of the latest receive; NULL while never received since it was enqueued
//                  (delayed or fresh); a receipt handle is valid only while it names this nonce
//   sent_ms        enqueue time (SentTimestamp); retention counts from it, also in the DLQ

namespace cartflow::embedded {

inline constexpr const char* kQueueSchemaV1 = R"sql(
CREATE TABLE queues(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  visibility_timeout_s INTEGER NOT NULL,
  retention_s INTEGER NOT NULL,
  delay_s INTEGER NOT NULL,
  max_message_bytes INTEGER NOT NULL,
  dead_letter_queue TEXT,
  max_receive_count INTEGER,
  created_ms INTEGER NOT NULL
);
CREATE TABLE queue_messages(
  id INTEGER PRIMARY KEY,
  queue_id INTEGER NOT NULL REFERENCES queues(id),
  message_id TEXT NOT NULL,
  body TEXT NOT NULL,
  md5_of_body TEXT NOT NULL,
  attributes BLOB,
  sent_ms INTEGER NOT NULL,
  visible_at_ms INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_receive_ms INTEGER NOT NULL DEFAULT 0,
  receipt TEXT
);
CREATE INDEX queue_messages_by_visibility ON queue_messages(queue_id, visible_at_ms);
CREATE INDEX queue_messages_by_age ON queue_messages(queue_id, sent_ms);
)sql";

}  // namespace cartflow::embedded
