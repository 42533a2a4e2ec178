// SPDX-License-Identifier: Apache-2.0
#pragma once

// The SQS event Lambda sends to a function subscribed to a queue (docs/EVENTS.md):
// {"Records": [{"messageId", "receiptHandle", "body", "attributes": {...}, "messageAttributes":
// {name: {"stringValue"?, "binaryValue"?, "stringListValues", "binaryListValues", "dataType"}},
// "md5OfBody", "md5OfMessageAttributes"?, "eventSource", "eventSourceARN", "awsRegion"}]}.
// Pure functions, thread-safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::events {

// One message attribute as the event carries it. Binary values stay base64 text here, as on
// the wire.
struct SqsMessageAttribute {
  std::optional<std::string> string_value;
  std::optional<std::string> binary_value;  // base64
  std::vector<std::string> string_list_values;
  std::vector<std::string> binary_list_values;
  std::string data_type;
  bool operator==(const SqsMessageAttribute&) const = default;
};

// System attributes, all strings: ApproximateReceiveCount, SentTimestamp, SenderId,
// ApproximateFirstReceiveTimestamp, AWSTraceHeader, ...
using SqsAttributes = std::map<std::string, std::string>;
using SqsMessageAttributes = std::map<std::string, SqsMessageAttribute>;

// One message. Its attributes and message attributes stay the JSON text the event carried
// (checked when the event is parsed, decoded only when asked for): update-cart-status never
// reads them.
struct SqsRecord {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  // The `attributes` and `messageAttributes` objects as the event spelled them (trailing white
  // space trimmed); empty for an absent, null or empty object. Set them with the setters below,
  // or with text that parse_sqs_event would accept there.
  std::string attributes_json;
  std::string message_attributes_json;
  std::string md5_of_body;
  std::optional<std::string> md5_of_message_attributes;
  std::string event_source;  // "aws:sqs"
  std::string event_source_arn;
  std::string aws_region;

  // The decoded attributes (a name given twice: the last one). Fail with kInvalidArgument when
  // the text is not what parse_sqs_event accepts there, naming the field.
  model::Result<SqsAttributes> attributes() const;
  model::Result<SqsMessageAttributes> message_attributes() const;
  // Replace the text with the compact encoding of `attributes`.
  void set_attributes(const SqsAttributes& attributes);
  void set_message_attributes(const SqsMessageAttributes& attributes);

  // Compares the texts: two spellings of the same attributes differ.
  bool operator==(const SqsRecord&) const = default;
};

struct SqsEvent {
  std::vector<SqsRecord> records;
  bool operator==(const SqsEvent&) const = default;
};

// Parses the event. Unknown fields are ignored; `null` for an optional field is absent. Fails
// with kInvalidArgument, naming the record index and field, when the text is not JSON,
// `Records` is missing or not an array, a known field has the wrong JSON type (in the
// attributes too: they are checked, then kept as text), or a record has no messageId (partial
// batch responses need it).
model::Result<SqsEvent> parse_sqs_event(std::string_view json);

// Serializes the event as Lambda sends it. parse(to_json(e)) == e.
std::string to_json(const SqsEvent& event);

// Builds the Lambda record for a message received from the Queue port (what the local event
// source mapping sends): attributes ApproximateReceiveCount, SentTimestamp, SenderId,
// ApproximateFirstReceiveTimestamp; message attributes with binary values base64-encoded.
SqsRecord to_lambda_record(const ports::Message& message, std::string_view sender_id,
                           std::string event_source_arn, std::string aws_region);

// The message attributes of a record as the Queue port spells them (binary decoded); fails
// with kInvalidArgument on bad base64 or message attributes that do not decode.
model::Result<ports::MessageAttributes> to_port_attributes(const SqsRecord& record);

}  // namespace cartflow::events
