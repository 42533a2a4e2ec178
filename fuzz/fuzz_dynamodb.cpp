// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the DynamoDB client's response parsing (aws/dynamodb_internal.h):
// arbitrary bytes as the answer of GetItem / Put / Update / Delete (item_member), Query,
// BatchGetItem and BatchWriteItem, and as an error answer through parse_aws_error and
// to_model_error (TransactWriteItems' CancellationReasons among them). Nothing may crash;
// every item that parses is a valid item, and a TransactionCanceledException maps to the
// code its reasons name. Any mismatch aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "aws/dynamodb_internal.h"
#include "aws/retry.h"

namespace {

namespace d = cartflow::aws::detail;
using cartflow::model::ErrorCode;
using cartflow::model::Item;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s\n%.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

void check(const Item& item, std::string_view input) {
  if (!cartflow::model::validate_item(item).ok()) fail("parsed item fails validate_item", input);
}

void check_error(std::string_view input, long status, std::string header) {
  cartflow::aws::HttpResponse response;
  response.status = status;
  if (!header.empty()) response.headers = {{"x-amzn-ErrorType", std::move(header)}};
  response.body = std::string(input);
  auto error = cartflow::aws::parse_aws_error(response);
  if (error.type.empty()) fail("AWS error without a type", input);
  auto mapped = cartflow::aws::to_model_error(error);
  if (mapped.message.empty()) fail("model error without a message", input);
  if (error.type != "TransactionCanceledException") return;
  bool condition = false, conflict = false;
  for (const auto& r : mapped.cancellation_reasons) {
    condition = condition || r.code == "ConditionalCheckFailed";
    conflict = conflict || r.code == "TransactionConflict" || r.code == "ThrottlingError" ||
               r.code == "ProvisionedThroughputExceeded";
  }
  auto expected = condition ? ErrorCode::kConditionFailed : conflict ? ErrorCode::kThrottled : ErrorCode::kInvalidArgument;
  if (mapped.code != expected) fail("TransactionCanceledException mapped to another code than its reasons", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  for (std::string_view key : {"Item", "Attributes"}) {
    if (auto item = d::item_member(input, key); item.ok() && *item) check(**item, input);
  }
  if (auto page = d::parse_query_response(input); page.ok()) {
    for (const auto& item : page->items) check(item, input);
    if (page->last_evaluated_key) check(*page->last_evaluated_key, input);
  }
  if (auto page = d::parse_batch_get_response(input, "cartflow"); page.ok()) {
    for (const auto& item : page->items) check(item, input);
    for (const auto& key : page->unprocessed_keys) check(key, input);
  }
  if (auto pending = d::parse_batch_write_response(input, "cartflow"); pending.ok()) {
    for (const auto& w : *pending) {
      if (const auto* put = std::get_if<cartflow::ports::PutRequest>(&w.request)) check(put->item, input);
      else check(std::get<cartflow::ports::DeleteRequest>(w.request).key, input);
    }
  }
  // As DynamoDB sends errors (type in the body), and as a proxy may (type in a header only).
  check_error(input, size > 0 && data[0] % 2 ? 500 : 400, "");
  check_error(input, 400, "TransactionCanceledException:http://internal.amazon.com/coral/com.amazon.coral.validate/");
  return 0;
}
