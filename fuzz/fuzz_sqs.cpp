// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the SQS client's response parsing (aws/sqs_internal.h; the JSON protocol,
// AmazonSQS / x-amz-json-1.0): arbitrary bytes as the answer of ReceiveMessage ("Messages",
// each through parse_message), of a batch call ("Successful", "Failed" through parse_failure)
// and of GetQueueAttributes ("Attributes" through int_of), as SqsQueue reads them; and as an
// error answer through parse_aws_error and to_model_error. Nothing may crash; a Binary
// attribute that parses holds the bytes its base64 names. Any mismatch aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "aws/retry.h"
#include "aws/sqs_internal.h"
#include "model/dynamo_json.h"

namespace {

namespace sqs = cartflow::aws::sqs;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s\n%.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

void parse_answer(std::string_view input) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(input)).get(doc) != simdjson::SUCCESS || !doc.is_object()) return;
  simdjson::dom::array messages;
  if (doc["Messages"].get(messages) == simdjson::SUCCESS) {
    for (simdjson::dom::element m : messages) {
      auto message = sqs::parse_message(m);
      if (!message) continue;
      simdjson::dom::object attributes;
      if (m["MessageAttributes"].get(attributes) != simdjson::SUCCESS) continue;
      std::set<std::string_view> seen;  // a repeated name keeps its first value (std::map::emplace)
      for (auto [name, value] : attributes) {
        if (!seen.insert(name).second) continue;
        std::string_view type, base64;
        if (value["DataType"].get(type) != simdjson::SUCCESS || type.rfind("Binary", 0) != 0) continue;
        auto it = message->attributes.find(std::string(name));
        if (it == message->attributes.end()) fail("a parsed attribute is missing", input);
        if (value["BinaryValue"].get(base64) != simdjson::SUCCESS) base64 = {};
        auto bytes = cartflow::model::base64_decode(base64);
        if (bytes.ok() && it->second.binary_value != *bytes) {
          fail("Binary attribute differs from its base64", input);
        }
      }
    }
  }
  simdjson::dom::array successful;
  if (doc["Successful"].get(successful) == simdjson::SUCCESS) {
    for (simdjson::dom::element s : successful) {
      (void)sqs::string_of(s, "Id");
      (void)sqs::string_of(s, "MD5OfMessageBody");
    }
  }
  simdjson::dom::array failed;
  if (doc["Failed"].get(failed) == simdjson::SUCCESS) {
    for (simdjson::dom::element f : failed) (void)sqs::parse_failure(f);
  }
  simdjson::dom::element attributes;
  if (doc["Attributes"].get(attributes) == simdjson::SUCCESS) {
    (void)sqs::int_of(attributes, "ApproximateNumberOfMessages");
    (void)sqs::int_of(attributes, "ApproximateNumberOfMessagesNotVisible");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  parse_answer(input);

  cartflow::aws::HttpResponse response;
  response.status = size > 0 && data[0] % 2 ? 500 : 400;
  response.headers = {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}};
  response.body = std::string(input);
  for (int with_header = 0; with_header < 2; ++with_header) {
    auto error = cartflow::aws::parse_aws_error(response);
    if (error.type.empty()) fail("AWS error without a type", input);
    if (cartflow::aws::to_model_error(error).message.empty()) fail("model error without a message", input);
    response.headers.clear();
  }
  return 0;
}
