// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the model codec: arbitrary bytes parsed as a DynamoDB JSON item, a
// single attribute value, and plain JSON; and scanned without an item (scan_item,
// check_item_json, scan_item_scalars). Whatever parses must serialize, re-parse to an equal
// value and serialize to the same text; any mismatch aborts.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "model/dynamo_json.h"

namespace {

using namespace cartflow::model;

[[noreturn]] void fail(const char* what, const std::string& text) {
  std::fprintf(stderr, "%s\n%s\n", what, text.c_str());
  std::abort();
}

template <typename T, typename Parse, typename Write>
void round_trip(const T& value, Parse parse, Write write, const char* name) {
  std::string text = write(value);
  auto again = parse(text);
  if (!again.ok()) fail(name, "re-parse failed: " + again.error().message + "\n" + text);
  if (!(*again == value)) fail(name, "re-parsed value differs\n" + text);
  if (write(*again) != text) fail(name, "serialization is not a fixed point\n" + text);
}

// Accepts everything scan_item reports.
class AcceptAll final : public ItemScanner {
 public:
  Status attribute(std::string_view, AttributeType, std::string_view) override { return {}; }
  Status list_element(std::string_view, std::size_t, AttributeType) override { return {}; }
  Status element_member(std::string_view, std::size_t, std::string_view, AttributeType,
                        std::string_view) override {
    return {};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  // The scan without an item agrees with parse_item, except that it does not look for duplicate
  // attribute names.
  {
    AcceptAll scanner;
    auto scanned = scan_item(input, scanner);
    auto parsed = parse_item(input);
    if (parsed.ok() && !scanned.ok()) fail("scan_item rejects what parse_item accepts", std::string(input));
    if (!parsed.ok() && scanned.ok() &&
        parsed.error().message.find("duplicate") == std::string::npos) {
      fail("scan_item accepts what parse_item rejects", std::string(input));
    }
  }
  // The check without an item is parse_item's verdict, message included.
  {
    auto checked = check_item_json(input);
    auto parsed = parse_item(input);
    if (checked.ok() != parsed.ok() ||
        (!checked.ok() && checked.error().message != parsed.error().message)) {
      fail("check_item_json and parse_item disagree", std::string(input));
    }
    // What passes the check is read at the top level without failing.
    AcceptAll scanner;
    if (checked.ok() && !scan_item_scalars(input, scanner).ok()) {
      fail("scan_item_scalars rejects a checked item", std::string(input));
    }
  }
  if (auto item = parse_item(input); item.ok()) {
    if (!validate_item(*item).ok()) fail("parsed item fails validate_item", std::string(input));
    (void)item_size(*item);
    round_trip(*item, [](std::string_view t) { return parse_item(t); },
               [](const Item& i) { return to_dynamo_json(i); }, "dynamo item");
  }
  if (auto value = parse_attribute_value(input); value.ok()) {
    if (!validate(*value).ok()) fail("parsed value fails validate", std::string(input));
    round_trip(*value, [](std::string_view t) { return parse_attribute_value(t); },
               [](const AttributeValue& v) { return to_dynamo_json(v); }, "dynamo value");
  }
  if (auto value = parse_plain_json(input); value.ok()) {
    round_trip(*value, [](std::string_view t) { return parse_plain_json(t); },
               [](const AttributeValue& v) { return to_plain_json(v); }, "plain value");
    // Plain values also survive DynamoDB JSON.
    round_trip(*value, [](std::string_view t) { return parse_attribute_value(t); },
               [](const AttributeValue& v) { return to_dynamo_json(v); }, "plain via dynamo");
  }
  if (auto item = parse_plain_item(input); item.ok()) {
    round_trip(*item, [](std::string_view t) { return parse_plain_item(t); },
               [](const Item& i) { return to_plain_json(i); }, "plain item");
  }
  // Base64 decode never crashes and re-encodes to the same text when it accepts it.
  if (auto bytes = base64_decode(input); bytes.ok() && base64_encode(*bytes) != input) {
    fail("base64 not canonical", std::string(input));
  }
  return 0;
}
