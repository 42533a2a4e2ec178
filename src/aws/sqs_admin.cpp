// SPDX-License-Identifier: Apache-2.0
// The SQS client's codec and local checks (sqs_internal.h), and the queue administration
// calls of sqs_queue.h: open, create_queue, delete_queue, queue_arn.
#include <charconv>

#include "aws/config.h"
#include "aws/dynamodb_internal.h"
#include "aws/sqs_internal.h"
#include "aws/sqs_queue.h"
#include "model/dynamo_json.h"

namespace cartflow::aws {

using model::Error;
using model::Result;

namespace sqs {

Error queue_error(std::string_view code, std::string_view message) {
  return Error::invalid(std::string(code) + ": " + std::string(message));
}

std::optional<ports::BatchEntryFailure> check_entry(const ports::SendEntry& entry) {
  auto fail = [&](const char* code, std::string message) {
    return ports::BatchEntryFailure{entry.id, code, std::move(message), true};
  };
  if (entry.body.empty()) return fail("MissingParameter", "The request must contain the parameter MessageBody.");
  std::size_t size = entry.body.size();
  if (!simdjson::validate_utf8(entry.body.data(), entry.body.size())) {
    return fail("InvalidMessageContents", "The message body is not valid UTF-8.");
  }
  for (const auto& [name, a] : entry.attributes) {
    size += name.size() + a.data_type.size() + a.string_value.size() + a.binary_value.size();
    if (!simdjson::validate_utf8(a.string_value.data(), a.string_value.size())) {
      return fail("InvalidMessageContents", "Message attribute '" + name + "' is not valid UTF-8.");
    }
  }
  if (size > kMaxMessageBytes) {
    return fail("InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be shorter than " +
                                             std::to_string(kMaxMessageBytes) + " bytes.");
  }
  return std::nullopt;
}

std::optional<Error> check_batch_size(std::size_t entries) {
  if (entries == 0) {
    return queue_error("AWS.SimpleQueueService.EmptyBatchRequest",
                       "There should be at least one entry in the request.");
  }
  if (entries > kMaxBatchEntries) {
    return queue_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                       "Maximum number of entries per request are 10. You have sent " +
                           std::to_string(entries) + ".");
  }
  return std::nullopt;
}

std::string body_with_url(const std::string& url) {
  std::string out = "{";
  detail::member(out, "QueueUrl", url);
  return out;
}

void append_entry(std::string& out, const ports::SendEntry& entry) {
  detail::member(out, "MessageBody", entry.body);
  if (!entry.attributes.empty()) {
    out += ",\"MessageAttributes\":{";
    bool first = true;
    for (const auto& [name, a] : entry.attributes) {
      if (!first) out += ",";
      first = false;
      std::string value = "{";  // a fresh object: detail::member puts commas after its "{"
      detail::member(value, "DataType", a.data_type);
      if (a.data_type.rfind("Binary", 0) == 0) {
        detail::member(value, "BinaryValue", model::base64_encode(a.binary_value));
      } else {
        detail::member(value, "StringValue", a.string_value);
      }
      model::append_json_string(out, name);
      out += ":" + value + "}";
    }
    out += "}";
  }
  if (entry.delay_seconds) out += ",\"DelaySeconds\":" + std::to_string(*entry.delay_seconds);
}

model::Status call_json(JsonClient& client, std::string_view operation, const std::string& body,
                        simdjson::dom::parser& parser, simdjson::dom::element& doc) {
  auto response = client.call(operation, body);
  if (!response) return std::move(response).error();
  if (response->empty()) *response = "{}";  // some emulators answer an empty receive so
  if (parser.parse(simdjson::padded_string(*response)).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return Error::internal("SQS answered invalid JSON to " + std::string(operation));
  }
  return {};
}

model::Status call_status(JsonClient& client, std::string_view operation, const std::string& body) {
  auto response = client.call(operation, body);
  if (!response) return std::move(response).error();
  return {};
}

std::string string_of(simdjson::dom::element object, std::string_view key) {
  std::string_view v;
  if (object[key].get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

std::int64_t int_of(simdjson::dom::element object, std::string_view key) {
  std::string_view v;
  std::int64_t n = 0;
  if (object[key].get(v) != simdjson::SUCCESS) return 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && end == v.data() + v.size() ? n : 0;
}

Result<ports::Message> parse_message(simdjson::dom::element m) {
  ports::Message out;
  out.message_id = string_of(m, "MessageId");
  out.receipt_handle = string_of(m, "ReceiptHandle");
  out.body = string_of(m, "Body");
  out.md5_of_body = string_of(m, "MD5OfBody");
  simdjson::dom::element system;
  if (m["Attributes"].get(system) == simdjson::SUCCESS) {
    out.sent_timestamp_ms = int_of(system, "SentTimestamp");
    out.first_receive_timestamp_ms = int_of(system, "ApproximateFirstReceiveTimestamp");
    out.receive_count = static_cast<int>(int_of(system, "ApproximateReceiveCount"));
  }
  simdjson::dom::object attributes;
  if (m["MessageAttributes"].get(attributes) == simdjson::SUCCESS) {
    for (auto [name, value] : attributes) {
      ports::MessageAttribute a;
      a.data_type = string_of(value, "DataType");
      if (a.data_type.rfind("Binary", 0) == 0) {
        auto bytes = model::base64_decode(string_of(value, "BinaryValue"));
        if (!bytes) return Error::internal("SQS answered a Binary attribute that is not base64");
        a.binary_value = std::move(bytes).value();
      } else {
        a.string_value = string_of(value, "StringValue");
      }
      out.attributes.emplace(std::string(name), std::move(a));
    }
  }
  return out;
}

ports::BatchEntryFailure parse_failure(simdjson::dom::element f) {
  ports::BatchEntryFailure out{string_of(f, "Id"), string_of(f, "Code"), string_of(f, "Message"), true};
  bool sender_fault = true;
  if (f["SenderFault"].get(sender_fault) == simdjson::SUCCESS) out.sender_fault = sender_fault;
  return out;
}

}  // namespace sqs

JsonProtocol sqs_protocol() { return {"AmazonSQS", "application/x-amz-json-1.0"}; }

Result<std::unique_ptr<SqsQueue>> SqsQueue::open(JsonClient& client, const std::string& queue) {
  if (queue.rfind("http://", 0) == 0 || queue.rfind("https://", 0) == 0) {
    return std::make_unique<SqsQueue>(client, queue);
  }
  std::string body = "{";
  if (auto arn = parse_arn(queue)) {
    if (arn->service != "sqs" || arn->resource.find_first_of(":/") != std::string::npos) {
      return Error::invalid(queue + " is not the ARN of an SQS queue");
    }
    if (!arn->region.empty() && arn->region != client.endpoint().region) {
      return Error::invalid("queue " + queue + " is in region " + arn->region +
                            ", the SQS endpoint in " + client.endpoint().region +
                            ": set AWS_REGION to the queue's region");
    }
    detail::member(body, "QueueName", arn->resource);
    if (!arn->account.empty()) detail::member(body, "QueueOwnerAWSAccountId", arn->account);
  } else {
    detail::member(body, "QueueName", queue);
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client, "GetQueueUrl", body + "}", parser, doc); !s) return std::move(s).error();
  std::string url = sqs::string_of(doc, "QueueUrl");
  if (url.empty()) return Error::internal("SQS GetQueueUrl answered no QueueUrl");
  return std::make_unique<SqsQueue>(client, std::move(url));
}

Result<std::string> create_queue(JsonClient& client, const std::string& name,
                                 const std::map<std::string, std::string>& attributes) {
  std::string body = "{";
  detail::member(body, "QueueName", name);
  if (!attributes.empty()) {
    std::string object = "{";
    for (const auto& [key, value] : attributes) detail::member(object, key, value);
    body += ",\"Attributes\":" + object + "}";
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client, "CreateQueue", body + "}", parser, doc); !s) return std::move(s).error();
  std::string url = sqs::string_of(doc, "QueueUrl");
  if (url.empty()) return Error::internal("SQS CreateQueue answered no QueueUrl");
  return url;
}

model::Status delete_queue(JsonClient& client, const std::string& url) {
  return sqs::call_status(client, "DeleteQueue", sqs::body_with_url(url) + "}");
}

Result<std::string> queue_arn(JsonClient& client, const std::string& url) {
  std::string body = sqs::body_with_url(url) + ",\"AttributeNames\":[\"QueueArn\"]}";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client, "GetQueueAttributes", body, parser, doc); !s) return std::move(s).error();
  simdjson::dom::element attributes;
  std::string arn;
  if (doc["Attributes"].get(attributes) == simdjson::SUCCESS) arn = sqs::string_of(attributes, "QueueArn");
  if (arn.empty()) return Error::internal("SQS GetQueueAttributes answered no QueueArn");
  return arn;
}

Result<std::optional<std::string>> dead_letter_target_arn(JsonClient& client, const std::string& url) {
  std::string body = sqs::body_with_url(url) + ",\"AttributeNames\":[\"RedrivePolicy\"]}";
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto s = sqs::call_json(client, "GetQueueAttributes", body, parser, doc); !s) return std::move(s).error();
  simdjson::dom::element attributes;
  std::string policy;
  if (doc["Attributes"].get(attributes) == simdjson::SUCCESS) policy = sqs::string_of(attributes, "RedrivePolicy");
  if (policy.empty()) return std::optional<std::string>();
  simdjson::dom::parser policy_parser;
  simdjson::dom::element parsed;
  std::string_view target;
  if (policy_parser.parse(simdjson::padded_string(policy)).get(parsed) != simdjson::SUCCESS ||
      parsed["deadLetterTargetArn"].get(target) != simdjson::SUCCESS || target.empty()) {
    return Error::internal("the RedrivePolicy of " + url + " names no deadLetterTargetArn: " + policy);
  }
  return std::optional<std::string>(std::string(target));
}

}  // namespace cartflow::aws
