// SPDX-License-Identifier: Apache-2.0
#pragma once

// Queue: an SQS standard queue. At-least-once delivery; a received message is invisible for the
// visibility timeout and comes back unless deleted with the receipt handle of that receive.
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"

namespace cartflow::ports {

using model::Result;
using model::Status;

// A message attribute (DataType "String", "Number" or "Binary", optionally with a ".suffix").
struct MessageAttribute {
  std::string data_type = "String";
  std::string string_value;  // for String and Number
  std::string binary_value;  // raw bytes, for Binary
  bool operator==(const MessageAttribute&) const = default;
};
using MessageAttributes = std::map<std::string, MessageAttribute>;

struct SendEntry {
  std::string id;  // batch entry id: unique in the batch, [A-Za-z0-9_-]{1,80}
  std::string body;
  MessageAttributes attributes;
  std::optional<int> delay_seconds;  // 0..900; queue default when absent
};
struct SendSuccess {
  std::string id;
  std::string message_id;
  std::string md5_of_body;  // hex MD5 of the body, as SQS returns it
};
struct BatchEntryFailure {
  std::string id;
  std::string code;  // SQS error code, e.g. "InvalidParameterValue"
  std::string message;
  bool sender_fault = true;
};
struct SendBatchResult {
  std::vector<SendSuccess> successful;
  std::vector<BatchEntryFailure> failed;
};

struct Message {
  std::string message_id;
  std::string receipt_handle;  // new on every receive
  std::string body;
  std::string md5_of_body;
  MessageAttributes attributes;
  std::int64_t sent_timestamp_ms = 0;
  std::int64_t first_receive_timestamp_ms = 0;
  int receive_count = 0;  // ApproximateReceiveCount, including this receive
};

struct ReceiveRequest {
  int max_messages = 1;                          // 1..10
  std::optional<int> visibility_timeout_seconds;  // queue default when absent
  std::chrono::milliseconds wait{0};              // long poll: return when a message arrives
};

struct DeleteEntry {
  std::string id;
  std::string receipt_handle;
};
struct DeleteBatchResult {
  std::vector<std::string> successful;  // entry ids
  std::vector<BatchEntryFailure> failed;
};

struct QueueCounts {
  std::int64_t visible = 0;      // ApproximateNumberOfMessages
  std::int64_t in_flight = 0;    // ApproximateNumberOfMessagesNotVisible
  std::int64_t delayed = 0;      // ApproximateNumberOfMessagesDelayed
};

class Queue {
 public:
  virtual ~Queue() = default;

  virtual const std::string& name() const = 0;
  // Fails with kInvalidArgument for an empty body, a body over 256 KiB, or bad attributes.
  virtual Result<SendSuccess> send(const SendEntry& entry) = 0;
  // Up to 10 entries; per-entry failures are in the result, not an error.
  virtual Result<SendBatchResult> send_batch(const std::vector<SendEntry>& entries) = 0;
  virtual Result<std::vector<Message>> receive(const ReceiveRequest& request) = 0;
  // Fails with kInvalidArgument ("ReceiptHandleIsInvalid") for an unknown or stale handle.
  virtual Status remove(const std::string& receipt_handle) = 0;
  virtual Result<DeleteBatchResult> remove_batch(const std::vector<DeleteEntry>& entries) = 0;
  virtual Status change_visibility(const std::string& receipt_handle, int timeout_seconds) = 0;
  virtual Result<QueueCounts> counts() = 0;
  virtual Status purge() = 0;
};

}  // namespace cartflow::ports
