// SPDX-License-Identifier: Apache-2.0
#include "aws/sqs_queue.h"

#include <set>

#include "aws/dynamodb_internal.h"
#include "aws/sqs_internal.h"
#include "util/hash.h"

namespace cartflow::aws {

using model::Error;
using model::Result;
using model::Status;

namespace {

std::string last_segment(const std::string& url) {
  std::string path = url;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path.substr(path.rfind('/') + 1);
}

// Whole-call checks of a batch: empty, over 10 entries, or repeated ids (as SQS and
// embedded::SqliteQueue; checked here so that every answered id names one entry).
std::optional<Error> check_batch(const std::vector<std::string>& ids) {
  if (auto e = sqs::check_batch_size(ids.size())) return e;
  std::set<std::string> seen;
  for (const auto& id : ids) {
    if (!seen.insert(id).second) {
      return sqs::queue_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
    }
  }
  return std::nullopt;
}

template <typename Entry>
std::vector<std::string> ids_of(const std::vector<Entry>& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(e.id);
  return ids;
}

// Appends each "Failed" entry of a batch answer to `out`.
void append_failures(simdjson::dom::element doc, std::vector<ports::BatchEntryFailure>& out) {
  simdjson::dom::array failed;
  if (doc["Failed"].get(failed) != simdjson::SUCCESS) return;
  for (simdjson::dom::element f : failed) out.push_back(sqs::parse_failure(f));
}

Error md5_mismatch(const std::string& id, const std::string& answered, const std::string& expected) {
  return Error::unavailable("MD5Mismatch: SQS answered MD5OfMessageBody " + answered + " for entry " +
                            id + ", expected " + expected + ".");
}

}  // namespace

SqsQueue::SqsQueue(JsonClient& client, std::string url)
    : client_(client), url_(std::move(url)), name_(last_segment(url_)) {}

Result<ports::SendSuccess> SqsQueue::send(const ports::SendEntry& entry) {
  if (auto f = sqs::check_entry(entry)) return sqs::queue_error(f->code, f->message);
  std::string body = sqs::body_with_url(url_);
  sqs::append_entry(body, entry);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client_, "SendMessage", body + "}", parser, doc); !s) return std::move(s).error();
  ports::SendSuccess out{entry.id, sqs::string_of(doc, "MessageId"), sqs::string_of(doc, "MD5OfMessageBody")};
  std::string expected = util::md5_hex(entry.body);
  if (out.md5_of_body != expected) return md5_mismatch(entry.id, out.md5_of_body, expected);
  return out;
}

Result<ports::SendBatchResult> SqsQueue::send_batch(const std::vector<ports::SendEntry>& entries) {
  if (auto e = check_batch(ids_of(entries))) return *e;
  // Per entry, in entry order: its failure, or its success.
  std::vector<std::optional<ports::BatchEntryFailure>> failures(entries.size());
  std::vector<std::optional<ports::SendSuccess>> successes(entries.size());
  std::map<std::string, std::size_t> sent;  // id -> index
  std::string body = sqs::body_with_url(url_) + ",\"Entries\":[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    failures[i] = sqs::check_entry(entries[i]);
    if (failures[i]) continue;
    std::string e = "{";
    detail::member(e, "Id", entries[i].id);
    sqs::append_entry(e, entries[i]);
    body += (sent.empty() ? "" : ",") + e + "}";
    sent.emplace(entries[i].id, i);
  }
  if (!sent.empty()) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (auto s = sqs::call_json(client_, "SendMessageBatch", body + "]}", parser, doc); !s) {
      return std::move(s).error();
    }
    simdjson::dom::array successful;
    if (doc["Successful"].get(successful) == simdjson::SUCCESS) {
      for (simdjson::dom::element s : successful) {
        auto it = sent.find(sqs::string_of(s, "Id"));
        if (it == sent.end()) continue;
        std::size_t i = it->second;
        ports::SendSuccess ok{it->first, sqs::string_of(s, "MessageId"), sqs::string_of(s, "MD5OfMessageBody")};
        std::string expected = util::md5_hex(entries[i].body);
        if (ok.md5_of_body != expected) {
          failures[i] = ports::BatchEntryFailure{ok.id, "MD5Mismatch",
                                                 md5_mismatch(ok.id, ok.md5_of_body, expected).message, false};
        } else {
          successes[i] = std::move(ok);
        }
      }
    }
    std::vector<ports::BatchEntryFailure> failed;
    append_failures(doc, failed);
    for (auto& f : failed) {
      auto it = sent.find(f.id);
      if (it != sent.end()) failures[it->second] = std::move(f);
    }
  }
  ports::SendBatchResult out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (successes[i]) out.successful.push_back(std::move(*successes[i]));
    if (failures[i]) out.failed.push_back(std::move(*failures[i]));
  }
  return out;
}

Result<std::vector<ports::Message>> SqsQueue::receive(const ports::ReceiveRequest& request) {
  if (request.max_messages < 1 || request.max_messages > sqs::kMaxBatchEntries) {
    return sqs::queue_error("InvalidParameterValue",
                            "Value " + std::to_string(request.max_messages) +
                                " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.");
  }
  auto wait_ms = std::max<std::int64_t>(0, request.wait.count());
  auto wait_seconds = std::min<std::int64_t>(sqs::kMaxWaitSeconds, (wait_ms + 999) / 1000);
  std::string body = sqs::body_with_url(url_);
  body += ",\"MaxNumberOfMessages\":" + std::to_string(request.max_messages);
  if (request.visibility_timeout_seconds) {
    body += ",\"VisibilityTimeout\":" + std::to_string(*request.visibility_timeout_seconds);
  }
  body += ",\"WaitTimeSeconds\":" + std::to_string(wait_seconds);
  // AttributeNames is the older name of MessageSystemAttributeNames; some emulators know only it.
  body += ",\"AttributeNames\":[\"All\"],\"MessageSystemAttributeNames\":[\"All\"]"
          ",\"MessageAttributeNames\":[\"All\"]}";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client_, "ReceiveMessage", body, parser, doc); !s) return std::move(s).error();
  std::vector<ports::Message> out;
  simdjson::dom::array messages;
  if (doc["Messages"].get(messages) != simdjson::SUCCESS) return out;  // none arrived
  for (simdjson::dom::element m : messages) {
    auto message = sqs::parse_message(m);
    if (!message) return std::move(message).error();
    // Corrupted on the way: leave it to come back after its visibility timeout.
    if (message->md5_of_body != util::md5_hex(message->body)) continue;
    out.push_back(std::move(message).value());
  }
  return out;
}

Status SqsQueue::remove(const std::string& receipt_handle) {
  std::string body = sqs::body_with_url(url_);
  detail::member(body, "ReceiptHandle", receipt_handle);
  return sqs::call_status(client_, "DeleteMessage", body + "}");
}

Result<ports::DeleteBatchResult> SqsQueue::remove_batch(const std::vector<ports::DeleteEntry>& entries) {
  if (auto e = check_batch(ids_of(entries))) return *e;
  std::string body = sqs::body_with_url(url_) + ",\"Entries\":[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::string e = "{";
    detail::member(e, "Id", entries[i].id);
    detail::member(e, "ReceiptHandle", entries[i].receipt_handle);
    body += (i == 0 ? "" : ",") + e + "}";
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client_, "DeleteMessageBatch", body + "]}", parser, doc); !s) {
    return std::move(s).error();
  }
  ports::DeleteBatchResult out;
  simdjson::dom::array successful;
  if (doc["Successful"].get(successful) == simdjson::SUCCESS) {
    for (simdjson::dom::element s : successful) out.successful.push_back(sqs::string_of(s, "Id"));
  }
  append_failures(doc, out.failed);
  return out;
}

Status SqsQueue::change_visibility(const std::string& receipt_handle, int timeout_seconds) {
  std::string body = sqs::body_with_url(url_);
  detail::member(body, "ReceiptHandle", receipt_handle);
  body += ",\"VisibilityTimeout\":" + std::to_string(timeout_seconds) + "}";
  return sqs::call_status(client_, "ChangeMessageVisibility", body);
}

Result<ports::QueueCounts> SqsQueue::counts() {
  std::string body = sqs::body_with_url(url_) +
                     ",\"AttributeNames\":[\"ApproximateNumberOfMessages\","
                     "\"ApproximateNumberOfMessagesNotVisible\",\"ApproximateNumberOfMessagesDelayed\"]}";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client_, "GetQueueAttributes", body, parser, doc); !s) return std::move(s).error();
  simdjson::dom::element attributes;
  if (doc["Attributes"].get(attributes) != simdjson::SUCCESS) {
    return Error::internal("SQS GetQueueAttributes answered no Attributes");
  }
  return ports::QueueCounts{sqs::int_of(attributes, "ApproximateNumberOfMessages"),
                            sqs::int_of(attributes, "ApproximateNumberOfMessagesNotVisible"),
                            sqs::int_of(attributes, "ApproximateNumberOfMessagesDelayed")};
}

Status SqsQueue::purge() {
  return sqs::call_status(client_, "PurgeQueue", sqs::body_with_url(url_) + "}");
}

}  // namespace cartflow::aws
