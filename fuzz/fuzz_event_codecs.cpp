// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the event codecs of src/events: the first input byte picks the codec
// (DynamoDB stream event, one stream record, SQS event, API Gateway REST v1 request, its
// response, partial batch response), the rest is the JSON text. Whatever decodes must encode,
// decode again to an equal value and encode to the same text (a fixed point); any mismatch
// aborts. The stream codecs' text form (images kept as text) must accept and reject what the
// item form does, with images that parse to the item form's; an SQS record's attributes kept as
// text must decode. Accessors (header(), query(), to_port_attributes) must not crash on decoded
// values.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>

#include "events/api_gateway.h"
#include "events/batch_response.h"
#include "events/dynamodb_stream.h"
#include "events/sqs.h"
#include "model/dynamo_json.h"

namespace {

using namespace cartflow::events;
using cartflow::model::Result;

[[noreturn]] void fail(const char* codec, const std::string& what, const std::string& text) {
  std::fprintf(stderr, "fuzz_event_codecs %s: %s\n%s\n", codec, what.c_str(), text.c_str());
  std::abort();
}

// The API Gateway structs have no operator== (the production code never compares them).
bool same(const ApiGatewayRequestContext& a, const ApiGatewayRequestContext& b) {
  return a.request_id == b.request_id && a.stage == b.stage && a.resource_path == b.resource_path &&
         a.http_method == b.http_method && a.path == b.path && a.account_id == b.account_id &&
         a.api_id == b.api_id && a.source_ip == b.source_ip && a.api_key == b.api_key &&
         a.user_agent == b.user_agent && a.request_time_epoch == b.request_time_epoch;
}

bool same(const ApiGatewayRequest& a, const ApiGatewayRequest& b) {
  return a.resource == b.resource && a.path == b.path && a.http_method == b.http_method &&
         a.headers == b.headers && a.multi_value_headers == b.multi_value_headers &&
         a.query_string_parameters == b.query_string_parameters &&
         a.multi_value_query_string_parameters == b.multi_value_query_string_parameters &&
         a.path_parameters == b.path_parameters && a.stage_variables == b.stage_variables &&
         same(a.request_context, b.request_context) && a.body == b.body &&
         a.is_base64_encoded == b.is_base64_encoded;
}

bool same(const ApiGatewayResponse& a, const ApiGatewayResponse& b) {
  return a.status_code == b.status_code && a.headers == b.headers &&
         a.multi_value_headers == b.multi_value_headers && a.body == b.body &&
         a.is_base64_encoded == b.is_base64_encoded;
}

template <typename T>
bool same(const T& a, const T& b) {
  return a == b;
}

// decode(text) succeeded with `value`: encode, decode, compare, encode again.
template <typename T, typename Decode>
void round_trip(const T& value, Decode decode, const char* codec) {
  const std::string text = to_json(value);
  auto again = decode(text);
  if (!again.ok()) fail(codec, "re-decode failed: " + again.error().message, text);
  if (!same(*again, value)) fail(codec, "re-decoded value differs", text);
  if (to_json(*again) != text) fail(codec, "encoding is not a fixed point", text);
}

// The decoders in one form, as round_trip calls them.
template <ImageForm kForm>
Result<DynamoDbStreamEvent> stream_event_in(std::string_view json) {
  return parse_dynamodb_stream_event(json, kForm);
}
template <ImageForm kForm>
Result<DynamoDbStreamRecord> stream_record_in(std::string_view json) {
  return parse_dynamodb_stream_record(json, kForm);
}

void same_image(const std::optional<cartflow::model::Item>& item,
                const std::optional<std::string>& text, const std::string& json) {
  if (item.has_value() != text.has_value()) fail("dynamodb stream", "an image in one form only", json);
  if (!item) return;
  auto parsed = cartflow::model::parse_item(*text);
  if (!parsed.ok() || !(*parsed == *item)) fail("dynamodb stream", "the forms' images differ", json);
}

// The item form `items` and the text form of the same input, `texts`, agree.
template <typename T>
void same_forms(const Result<T>& items, const Result<T>& texts, std::string_view json) {
  const std::string input(json);
  if (items.ok() != texts.ok()) fail("dynamodb stream", "one form only accepts", input);
  if (!items.ok()) {
    if (items.error().message != texts.error().message) {
      fail("dynamodb stream", "the forms fail differently", input);
    }
    return;
  }
  auto check = [&](const DynamoDbStreamRecord& a, const DynamoDbStreamRecord& b) {
    auto keys = cartflow::model::parse_item(b.dynamodb.keys_text);
    if (!keys.ok() || !(*keys == a.dynamodb.keys)) fail("dynamodb stream", "the forms' Keys differ", input);
    same_image(a.dynamodb.new_image, b.dynamodb.new_image_text, input);
    same_image(a.dynamodb.old_image, b.dynamodb.old_image_text, input);
  };
  if constexpr (std::is_same_v<T, DynamoDbStreamRecord>) {
    check(*items, *texts);
  } else {
    if (items->records.size() != texts->records.size()) fail("dynamodb stream", "record counts differ", input);
    for (std::size_t i = 0; i < items->records.size(); ++i) check(items->records[i], texts->records[i]);
  }
}

void fuzz_stream_event(std::string_view json) {
  auto event = parse_dynamodb_stream_event(json);
  auto texts = parse_dynamodb_stream_event(json, ImageForm::kText);
  same_forms(event, texts, json);
  if (!event.ok()) return;
  round_trip(*event, stream_event_in<ImageForm::kItem>, "dynamodb stream event");
  round_trip(*texts, stream_event_in<ImageForm::kText>, "dynamodb stream event, text form");
  for (const auto& record : event->records) {
    round_trip(record, stream_record_in<ImageForm::kItem>, "dynamodb stream record in event");
  }
}

void fuzz_stream_record(std::string_view json) {
  auto record = parse_dynamodb_stream_record(json);
  auto texts = parse_dynamodb_stream_record(json, ImageForm::kText);
  same_forms(record, texts, json);
  if (!record.ok()) return;
  round_trip(*record, stream_record_in<ImageForm::kItem>, "dynamodb stream record");
  round_trip(*texts, stream_record_in<ImageForm::kText>, "dynamodb stream record, text form");
}

void fuzz_sqs(std::string_view json) {
  auto event = parse_sqs_event(json);
  if (!event.ok()) return;
  round_trip(*event, parse_sqs_event, "sqs event");
  for (const auto& record : event->records) {
    // The attributes' text was checked by the parse: it decodes, and encoding what it decodes
    // to gives text that decodes to the same.
    auto attributes = record.attributes();
    auto message_attributes = record.message_attributes();
    if (!attributes.ok() || !message_attributes.ok()) {
      fail("sqs event", "kept attributes do not decode", to_json(*event));
    }
    SqsRecord copy = record;
    copy.set_attributes(*attributes);
    copy.set_message_attributes(*message_attributes);
    if (copy.attributes().value() != *attributes ||
        copy.message_attributes().value() != *message_attributes) {
      fail("sqs event", "set attributes decode differently", to_json(*event));
    }
    (void)to_port_attributes(record);
  }
}

void fuzz_api_request(std::string_view json) {
  auto request = parse_api_gateway_request(json);
  if (!request.ok()) return;
  round_trip(*request, parse_api_gateway_request, "api gateway request");
  for (const char* name : {"content-type", "x-api-key", "Idempotency-Key", ""}) {
    (void)request->header(name);
    (void)request->query(name);
  }
  for (const auto& [name, value] : request->headers) {
    if (!request->header(name)) fail("api gateway request", "header() misses " + name, to_json(*request));
  }
}

void fuzz_api_response(std::string_view json) {
  auto response = parse_api_gateway_response(json);
  if (!response.ok()) return;
  round_trip(*response, parse_api_gateway_response, "api gateway response");
  for (const auto& [name, value] : response->headers) {
    if (!response->header(name)) fail("api gateway response", "header() misses " + name, to_json(*response));
  }
}

void fuzz_batch_response(std::string_view json) {
  auto response = parse_batch_response(json);
  if (response.ok()) round_trip(*response, parse_batch_response, "batch response");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: fuzz_stream_event(json); break;
    case 1: fuzz_stream_record(json); break;
    case 2: fuzz_sqs(json); break;
    case 3: fuzz_api_request(json); break;
    case 4: fuzz_api_response(json); break;
    default: fuzz_batch_response(json); break;
  }
  return 0;
}
