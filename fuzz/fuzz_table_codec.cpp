// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the embedded layer's stored forms (embedded/table_codec.h): arbitrary
// bytes decoded as a stored item must fail cleanly (kInternal) or give an item whose encoding
// decodes to an equal item and re-encodes to the same bytes. Key values found in the item
// (top-level S, N and B attributes) must encode to keys whose memcmp order is the
// values' order, and key_successor must be greater than the key. The plain-JSON writer
// (append_plain_json) must fail on any bytes without touching its output, and on a valid
// encoding write exactly model::to_plain_json of the decoded item and count its item_size.
// Any mismatch aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "embedded/table_codec.h"
#include "model/dynamo_json.h"

namespace {

using cartflow::model::AttributeValue;
using cartflow::model::ErrorCode;
using cartflow::model::Item;
namespace e = cartflow::embedded;

[[noreturn]] void fail(const char* what, std::string_view bytes) {
  std::fprintf(stderr, "%s (%zu bytes)\n", what, bytes.size());
  std::abort();
}

int sign(int c) { return (c > 0) - (c < 0); }

// memcmp, then length: SQLite's BLOB order.
int blob_compare(std::string_view a, std::string_view b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return sign(c);
  return sign(static_cast<int>(a.size() > b.size()) - static_cast<int>(a.size() < b.size()));
}

int value_compare(const AttributeValue& a, const AttributeValue& b) {
  if (const auto* x = a.as_n()) {
    auto c = *x <=> *b.as_n();
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (const auto* x = a.as_s()) return blob_compare(*x, *b.as_s());
  return blob_compare(a.as_b()->data, b.as_b()->data);
}

void check_keys(const Item& item, std::string_view input) {
  std::vector<const AttributeValue*> keys;
  for (const auto& [name, value] : item) {
    if (e::is_key_type(value)) keys.push_back(&value);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    std::string key = e::encode_key(*keys[i]);
    if (key.empty()) fail("key value encodes to an empty key", input);
    if (blob_compare(e::key_successor(key), key) <= 0) fail("key_successor not greater", input);
    for (std::size_t j = i + 1; j < keys.size(); ++j) {
      if (keys[i]->type() != keys[j]->type()) continue;
      if (blob_compare(key, e::encode_key(*keys[j])) != value_compare(*keys[i], *keys[j])) {
        fail("key order differs from value order", input);
      }
    }
  }
}

}  // namespace

// The plain-JSON writer on arbitrary bytes: no crash; on failure the output is untouched.
void check_plain_on_any_bytes(std::string_view input) {
  std::string out = "[";
  auto plain = e::append_plain_json(input, {}, out);
  if (!plain.ok() && out != "[") fail("failed plain write changed its output", input);
}

// On a valid encoding: the same text and size as through a decoded item.
void check_plain_on_encoding(const Item& item, std::string_view encoded, std::string_view input) {
  std::string out;
  auto plain = e::append_plain_json(encoded, {}, out);
  if (!plain.ok()) fail("plain write fails on a valid encoding", input);
  if (out != cartflow::model::to_plain_json(item)) fail("plain write differs from to_plain_json", input);
  if (*plain != cartflow::model::item_size(item)) fail("plain write's size differs from item_size", input);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_plain_on_any_bytes(input);
  auto item = e::decode_item(input);
  if (!item.ok()) {
    if (item.error().code != ErrorCode::kInternal) fail("decode fails with another code than kInternal", input);
    return 0;
  }
  std::string encoded = e::encode_item(*item);
  auto again = e::decode_item(encoded);
  if (!again.ok()) fail("encoding of a decoded item does not decode", input);
  if (!(*again == *item)) fail("decoded item differs after a round trip", input);
  if (e::encode_item(*again) != encoded) fail("encoding is not a fixed point", input);
  // The appending overload writes the same bytes after what is there.
  std::string appended = "x";
  e::encode_item(*item, appended);
  if (std::string_view(appended).substr(1) != encoded) fail("appending encode differs", input);
  check_keys(*item, input);
  check_plain_on_encoding(*item, encoded, input);
  return 0;
}
