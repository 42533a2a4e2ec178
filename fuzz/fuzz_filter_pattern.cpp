// SPDX-License-Identifier: Apache-2.0
// Fuzz target: filter pattern parser and matcher. The input is "<pattern>\n<record>": the
// pattern is parsed (must never crash, whatever the bytes), and a valid one is matched against
// the record and against a fixed DynamoDB stream record; matching must not crash and must agree
// between FilterPattern::matches and FilterCriteria::matches / match_records.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "events/filter_pattern.h"

namespace {

constexpr std::string_view kFixed =
    R"({"eventName":"INSERT","dynamodb":{"NewImage":{"order_status":{"S":"ORDERED"},)"
    R"("n":{"N":"5"},"l":{"L":[{"S":"a"},{"N":"1"}]}}},"x":[1,2.5,-3,null,true,"s",{"y":"z"}]})";

void check(const cartflow::events::FilterPattern& p,
           const cartflow::events::FilterCriteria& criteria, std::string_view record) {
  auto one = p.matches(record);
  auto any = criteria.matches(record);
  if (one.ok() != any.ok()) std::abort();
  if (one.ok() && *one != *any) std::abort();
  if (one.ok()) {
    std::string event = "{\"Records\":[" + std::string(record) + "]}";
    auto bits = criteria.match_records(event);
    // Wrapping adds two levels of nesting, which may exceed the JSON parser's depth limit.
    if (bits.ok() && (bits->size() != 1 || (*bits)[0] != *one)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nl = input.find('\n');
  const std::string_view pattern = input.substr(0, nl);
  const std::string_view record =
      nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  auto p = cartflow::events::FilterPattern::parse(pattern);
  if (!p.ok()) {
    if (p.error().message.empty()) std::abort();
    return 0;
  }
  auto criteria = cartflow::events::FilterCriteria::parse({std::string(pattern)});
  if (!criteria.ok()) std::abort();  // a valid pattern is a valid criteria
  check(*p, *criteria, kFixed);
  if (!record.empty()) check(*p, *criteria, record);
  return 0;
}
