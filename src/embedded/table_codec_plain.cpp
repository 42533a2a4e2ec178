// SPDX-License-Identifier: Apache-2.0
// Stored items written straight as plain JSON (table_codec.h: append_plain_json), for reads
// whose answer is the items themselves: no model::Item is built.
#include <algorithm>
#include <cstdint>

#include "embedded/table_codec.h"
#include "embedded/table_codec_internal.h"
#include "model/dynamo_json.h"

namespace cartflow::embedded {
namespace {

using namespace codec;  // Reader and the tags

// The canonical text of a stored number: digits, sign, point, exponent. Anything else is
// corruption, and would not be JSON.
bool is_number_text(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' ||
                  c == 'E';
         });
}

// Writes the value after its tag as model::append_plain_json does and adds its
// model::value_size to `size`. False on corrupt data.
bool write_value(Reader& r, unsigned char tag, std::string& out, std::size_t& size, int depth);

bool write_string(Reader& r, std::string& out, std::size_t& size) {
  std::string_view s = r.bytes();
  if (!r.ok()) return false;
  model::append_json_string(out, s);
  size += s.size();
  return true;
}

bool write_number(Reader& r, std::string& out, std::size_t& size) {
  std::string_view text = r.bytes();
  if (!r.ok() || !is_number_text(text)) return false;
  out += text;
  size += model::number_text_size(text);
  return true;
}

bool write_binary(Reader& r, std::string& out, std::size_t& size) {
  std::string_view b = r.bytes();
  if (!r.ok()) return false;
  out.push_back('"');
  out += model::base64_encode(b);
  out.push_back('"');
  size += b.size();
  return true;
}

// The members of an M (or of the item itself, at depth 0, where the names in `drop` are left
// out of `out` but still counted in `size`).
bool write_map(Reader& r, std::string& out, std::size_t& size, int depth,
               std::span<const std::string_view> drop) {
  const std::uint64_t n = r.varint();
  out.push_back('{');
  bool first = true;
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string_view name = r.bytes();
    const unsigned char tag = r.byte();
    if (!r.ok()) return false;
    const bool dropped = std::find(drop.begin(), drop.end(), name) != drop.end();
    const std::size_t mark = out.size();
    if (!dropped) {
      if (!first) out.push_back(',');
      model::append_json_string(out, name);
      out.push_back(':');
    }
    std::size_t value_size = 0;
    if (!write_value(r, tag, out, value_size, depth)) return false;
    if (dropped) {
      out.resize(mark);
    } else {
      first = false;
    }
    size += name.size() + value_size + (depth > 0 ? 1 : 0);
  }
  out.push_back('}');
  return r.ok();
}

// The elements of an L or a set: `element` writes one.
template <typename WriteElement>
bool write_array(Reader& r, std::string& out, WriteElement element) {
  const std::uint64_t n = r.varint();
  out.push_back('[');
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    if (i != 0) out.push_back(',');
    if (!element()) return false;
  }
  out.push_back(']');
  return r.ok();
}

bool write_value(Reader& r, unsigned char tag, std::string& out, std::size_t& size, int depth) {
  if (depth > model::kMaxNestingDepth + 1) return false;
  switch (tag) {
    case kS: return write_string(r, out, size);
    case kN: return write_number(r, out, size);
    case kB: return write_binary(r, out, size);
    case kFalse: out += "false"; size += 1; return true;
    case kTrue: out += "true"; size += 1; return true;
    case kNull: out += "null"; size += 1; return true;
    case kM: size += 3; return write_map(r, out, size, depth + 1, {});
    case kL:
      size += 3;
      return write_array(r, out, [&] {
        const unsigned char element_tag = r.byte();
        std::size_t element_size = 0;
        if (!r.ok() || !write_value(r, element_tag, out, element_size, depth + 1)) return false;
        size += element_size + 1;
        return true;
      });
    case kSS: return write_array(r, out, [&] { return write_string(r, out, size); });
    case kNS: return write_array(r, out, [&] { return write_number(r, out, size); });
    case kBS: return write_array(r, out, [&] { return write_binary(r, out, size); });
    default: return false;
  }
}

}  // namespace

model::Result<std::size_t> append_plain_json(std::string_view bytes,
                                             std::span<const std::string_view> drop,
                                             std::string& out) {
  const std::size_t mark = out.size();
  Reader r(bytes);
  std::size_t size = 0;
  if (!write_map(r, out, size, 0, drop) || !r.at_end()) {
    out.resize(mark);
    return model::Error::internal("corrupt stored item");
  }
  return size;
}

}  // namespace cartflow::embedded
