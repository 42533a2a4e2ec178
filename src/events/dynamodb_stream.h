// SPDX-License-Identifier: Apache-2.0
#pragma once

// The DynamoDB stream event Lambda sends to a function subscribed to a table's stream
// (docs/EVENTS.md): {"Records": [{"eventID", "eventName", "eventVersion", "eventSource",
// "awsRegion", "eventSourceARN", "userIdentity"?, "dynamodb": {"ApproximateCreationDateTime",
// "Keys", "NewImage"?, "OldImage"?, "SequenceNumber", "SizeBytes", "StreamViewType"}}]}.
// Images are DynamoDB JSON, decoded to model::Item or, for a consumer that forwards them
// (process-cart-products), kept as their text. Pure functions, thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/attribute_value.h"
#include "model/result.h"
#include "ports/change_stream.h"

namespace cartflow::events {

// How the parser returns Keys, NewImage and OldImage. Both forms are validated alike: an image
// that parse_item would reject fails the parse.
enum class ImageForm {
  kItem,  // decoded: keys, new_image, old_image
  kText,  // the event's text, not decoded: keys_text, new_image_text, old_image_text
};

// The `dynamodb` object of one record.
struct DynamoDbStreamData {
  // Unix seconds, rounded down as DynamoDB reports it (some producers send a fraction; it is
  // kept); absent when the event omits it.
  std::optional<double> approximate_creation_date_time;
  model::Item keys;
  std::optional<model::Item> new_image;
  std::optional<model::Item> old_image;
  // ImageForm::kText: the images as the event spelled them (DynamoDB JSON objects, trailing
  // white space trimmed), for a consumer that forwards an image without reading all of it.
  // keys_text is "{}" when the event has no Keys (keys is empty then in kItem).
  std::string keys_text;
  std::optional<std::string> new_image_text;
  std::optional<std::string> old_image_text;
  std::string sequence_number;
  std::int64_t size_bytes = 0;
  std::string stream_view_type;  // "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"
  bool operator==(const DynamoDbStreamData&) const = default;
};

struct DynamoDbStreamRecord {
  std::string event_id;
  std::string event_name;  // "INSERT", "MODIFY", "REMOVE"
  std::string event_version;
  std::string event_source;  // "aws:dynamodb"
  std::string aws_region;
  std::string event_source_arn;
  // userIdentity (TTL deletions): {"type": "Service", "principalId": "dynamodb.amazonaws.com"}.
  std::optional<std::string> user_identity_type;
  std::optional<std::string> user_identity_principal_id;
  DynamoDbStreamData dynamodb;
  bool operator==(const DynamoDbStreamRecord&) const = default;
};

struct DynamoDbStreamEvent {
  std::vector<DynamoDbStreamRecord> records;
  bool operator==(const DynamoDbStreamEvent&) const = default;
};

// Parses the event, with its images in the given form. Unknown fields are ignored (Lambda adds
// fields over time). Fails with kInvalidArgument, naming the record index and field, when the
// text is not JSON, `Records` is missing or not an array, a known field has the wrong JSON type,
// `dynamodb` or its SequenceNumber is missing, or an image is not valid DynamoDB JSON (in
// either form: the same events fail).
model::Result<DynamoDbStreamEvent> parse_dynamodb_stream_event(
    std::string_view json, ImageForm form = ImageForm::kItem);

// Parses one record object (an element of Records) on its own, e.g. a stream record forwarded
// as a queue message body. Same rules as above.
model::Result<DynamoDbStreamRecord> parse_dynamodb_stream_record(
    std::string_view json, ImageForm form = ImageForm::kItem);

// Serializes the event as Lambda sends it (compact JSON but for the images' text, which is
// written as it is; absent optionals are omitted; an image set in both forms is written from
// its item). parse(to_json(e), form) == e for an event whose images are all in `form`.
std::string to_json(const DynamoDbStreamEvent& event);
// Serializes one record object.
std::string to_json(const DynamoDbStreamRecord& record);

// Builds the Lambda record for one change of the table's stream (what the local event source
// mapping sends): eventID, INSERT/MODIFY/REMOVE, eventVersion "1.1", eventSource
// "aws:dynamodb", the given region and stream ARN, creation time in whole seconds.
DynamoDbStreamRecord to_lambda_record(const ports::StreamRecord& record, std::string aws_region,
                                      std::string event_source_arn);

// Names of ports::StreamViewType as the event spells them ("NEW_IMAGE", ...; kNone: "").
const char* stream_view_type_name(ports::StreamViewType type);

}  // namespace cartflow::events
