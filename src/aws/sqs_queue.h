// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqsQueue: the Queue port over Amazon SQS's JSON protocol (AmazonSQS.<Operation>,
// x-amz-json-1.0; the QueueUrl travels in each body). Thread-safe (it holds no mutable state);
// the JsonClient must outlive the queue.
//
// Errors: AWS errors are mapped by to_model_error (aws/retry.h) and keep the SQS code at the
// start of the message ("AWS.SimpleQueueService.BatchEntryIdsNotDistinct: ...",
// "ReceiptHandleIsInvalid: ..."): a missing queue is kNotFound, request errors are
// kInvalidArgument. What the port promises is checked here before any call, with the same
// "<code>: <message>" messages as embedded::SqliteQueue: an empty body ("MissingParameter"), a
// message over 256 KiB counted as SQS counts it, body plus attribute names, types and values
// ("InvalidParameterValue"; SQS itself now accepts up to 1 MiB), a body or string attribute
// that is not UTF-8 ("InvalidMessageContents"), and batches that are empty or over 10 entries.
// Other rules (characters SQS rejects, attribute names, delays, visibility ranges) are left to
// SQS.
//
// Integrity: MD5OfMessageBody of every sent message and MD5OfBody of every received one are
// checked against the body. A send whose digest differs fails with kUnavailable ("MD5Mismatch:
// ..."; in a batch, a BatchEntryFailure with code "MD5Mismatch", sender_fault false): SQS may
// hold a corrupted copy, so sending again can deliver the message twice (at-least-once). A
// received message whose digest differs is dropped from the result without deleting it or
// logging: it comes back after its visibility timeout, and goes to the dead-letter queue after
// maxReceiveCount receives if it stays corrupted. MD5OfMessageAttributes is not checked.
//
// Long polling: ReceiveRequest::wait is rounded up to whole seconds and capped at 20 (SQS's
// maximum). The HttpClient's request_timeout must exceed the wait (its 30 s default does),
// else a long poll ends in a timeout that the JsonClient retries.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/json_client.h"
#include "ports/queue.h"

namespace cartflow::aws {

// The JsonProtocol for SQS: {"AmazonSQS", "application/x-amz-json-1.0"}.
JsonProtocol sqs_protocol();

class SqsQueue final : public ports::Queue {
 public:
  // `queue`: a queue URL (http:// or https://) is used as is, without a call; a name is
  // resolved with GetQueueUrl; an ARN (arn:aws:sqs:REGION:ACCOUNT:NAME) with GetQueueUrl by
  // name and owner account. Fails with kNotFound when there is no such queue, kInvalidArgument
  // for an ARN of another service or of another region than the client's endpoint.
  static model::Result<std::unique_ptr<SqsQueue>> open(JsonClient& client,
                                                       const std::string& queue);
  // `url` is the queue URL; name() is its last path segment.
  SqsQueue(JsonClient& client, std::string url);

  const std::string& url() const { return url_; }
  const std::string& name() const override { return name_; }

  // SendMessage. Fails as described above, or with the mapped SQS error.
  model::Result<ports::SendSuccess> send(const ports::SendEntry& entry) override;
  // SendMessageBatch. Whole-call failures (kInvalidArgument): "AWS.SimpleQueueService.
  // EmptyBatchRequest" / ".TooManyEntriesInBatchRequest" (checked here), and what SQS answers
  // for the whole request (".BatchEntryIdsNotDistinct", ".InvalidBatchEntryId", ...). Entries
  // that fail the local checks are not sent and come back as failures with their code; the
  // others are sent in one request. Results are in entry order.
  model::Result<ports::SendBatchResult> send_batch(
      const std::vector<ports::SendEntry>& entries) override;
  // ReceiveMessage with all system and message attributes. max_messages outside 1..10 fails
  // with kInvalidArgument before the call.
  model::Result<std::vector<ports::Message>> receive(const ports::ReceiveRequest& request) override;
  // DeleteMessage. SQS fails with "ReceiptHandleIsInvalid" (kInvalidArgument) for a malformed
  // handle; unlike the embedded queue, it may accept a stale one.
  model::Status remove(const std::string& receipt_handle) override;
  // DeleteMessageBatch; whole-call failures as send_batch's.
  model::Result<ports::DeleteBatchResult> remove_batch(
      const std::vector<ports::DeleteEntry>& entries) override;
  // ChangeMessageVisibility; "MessageNotInflight" or "ReceiptHandleIsInvalid" as SQS says.
  model::Status change_visibility(const std::string& receipt_handle, int timeout_seconds) override;
  // GetQueueAttributes (ApproximateNumberOfMessages, ...NotVisible, ...Delayed).
  model::Result<ports::QueueCounts> counts() override;
  // PurgeQueue. SQS allows one purge per queue every 60 s; a second one fails with kThrottled
  // ("AWS.SimpleQueueService.PurgeQueueInProgress: ...").
  model::Status purge() override;

 private:
  JsonClient& client_;
  const std::string url_;
  const std::string name_;
};

// For tests and local setups. Creates the queue with SQS attributes (e.g. "VisibilityTimeout",
// "MessageRetentionPeriod", "RedrivePolicy" as its JSON string) and returns its URL. SQS
// returns the existing queue's URL when one exists with the same attributes.
model::Result<std::string> create_queue(JsonClient& client, const std::string& name,
                                        const std::map<std::string, std::string>& attributes = {});
// DeleteQueue; kNotFound when there is no such queue.
model::Status delete_queue(JsonClient& client, const std::string& url);
// The queue's ARN (GetQueueAttributes QueueArn), e.g. to build a RedrivePolicy.
model::Result<std::string> queue_arn(JsonClient& client, const std::string& url);
// The ARN of the queue's dead-letter queue: deadLetterTargetArn of its RedrivePolicy
// (GetQueueAttributes). std::nullopt when the queue has no RedrivePolicy. Fails with the call's
// error (kNotFound for no such queue), or kInternal when the policy is not JSON naming a target.
model::Result<std::optional<std::string>> dead_letter_target_arn(JsonClient& client,
                                                                 const std::string& url);

}  // namespace cartflow::aws
