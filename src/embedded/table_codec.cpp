// SPDX-License-Identifier: Apache-2.0
#include "embedded/table_codec.h"

#include <cstdint>
#include <type_traits>
#include <variant>

#include "embedded/table_codec_internal.h"

namespace cartflow::embedded {

using model::Error;
using model::Result;

bool is_key_type(const AttributeValue& value) {
  auto t = value.type();
  return t == model::AttributeType::kS || t == model::AttributeType::kN ||
         t == model::AttributeType::kB;
}

std::string encode_key(const AttributeValue& value) {
  std::string out;
  if (const auto* s = value.as_s()) {
    out.reserve(s->size() + 1);
    out.push_back('S');
    out += *s;
  } else if (const auto* n = value.as_n()) {
    out.push_back('N');
    out += n->sortable_bytes();
  } else if (const auto* b = value.as_b()) {
    out.reserve(b->data.size() + 1);
    out.push_back('B');
    out += b->data;
  }
  return out;
}

std::string key_successor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

namespace {

using namespace codec;  // Reader and the tags

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_bytes(std::string& out, std::string_view bytes) {
  put_varint(out, bytes.size());
  out.append(bytes);
}

void encode_map(const model::Map& map, std::string& out);

void encode_value(const AttributeValue& value, std::string& out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out.push_back(kS);
          put_bytes(out, v);
        } else if constexpr (std::is_same_v<T, model::Number>) {
          out.push_back(kN);
          put_bytes(out, v.to_string());
        } else if constexpr (std::is_same_v<T, model::Bytes>) {
          out.push_back(kB);
          put_bytes(out, v.data);
        } else if constexpr (std::is_same_v<T, bool>) {
          out.push_back(v ? kTrue : kFalse);
        } else if constexpr (std::is_same_v<T, model::Null>) {
          out.push_back(kNull);
        } else if constexpr (std::is_same_v<T, model::Map>) {
          out.push_back(kM);
          encode_map(v, out);
        } else if constexpr (std::is_same_v<T, model::List>) {
          out.push_back(kL);
          put_varint(out, v.size());
          for (const auto& e : v) encode_value(e, out);
        } else if constexpr (std::is_same_v<T, model::StringSet>) {
          out.push_back(kSS);
          put_varint(out, v.values.size());
          for (const auto& e : v.values) put_bytes(out, e);
        } else if constexpr (std::is_same_v<T, model::NumberSet>) {
          out.push_back(kNS);
          put_varint(out, v.values.size());
          for (const auto& e : v.values) put_bytes(out, e.to_string());
        } else {
          static_assert(std::is_same_v<T, model::BinarySet>);
          out.push_back(kBS);
          put_varint(out, v.values.size());
          for (const auto& e : v.values) put_bytes(out, e.data);
        }
      },
      value.variant());
}

void encode_map(const model::Map& map, std::string& out) {
  put_varint(out, map.size());
  for (const auto& [name, value] : map) {
    put_bytes(out, name);
    encode_value(value, out);
  }
}

bool decode_map(Reader& r, model::Map& out, int depth);

bool decode_number(std::string_view text, model::Number& out) {
  auto n = model::Number::parse(text);
  if (!n.ok()) return false;
  out = std::move(*n);
  return true;
}

bool decode_value(Reader& r, AttributeValue& out, int depth) {
  if (depth > model::kMaxNestingDepth + 1) return false;
  switch (r.byte()) {
    case kS: out = AttributeValue(std::string(r.bytes())); return r.ok();
    case kN: {
      model::Number n;
      if (!decode_number(r.bytes(), n)) return false;
      out = AttributeValue(std::move(n));
      return r.ok();
    }
    case kB: out = AttributeValue(model::Bytes{std::string(r.bytes())}); return r.ok();
    case kFalse: out = AttributeValue(false); return true;
    case kTrue: out = AttributeValue(true); return true;
    case kNull: out = AttributeValue(model::Null{}); return true;
    case kM: {
      model::Map m;
      if (!decode_map(r, m, depth + 1)) return false;
      out = AttributeValue(std::move(m));
      return true;
    }
    case kL: {
      std::uint64_t n = r.varint();
      model::List l;
      for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
        AttributeValue e;
        if (!decode_value(r, e, depth + 1)) return false;
        l.push_back(std::move(e));
      }
      out = AttributeValue(std::move(l));
      return r.ok();
    }
    case kSS: {
      std::uint64_t n = r.varint();
      model::StringSet s;
      for (std::uint64_t i = 0; i < n && r.ok(); ++i) s.values.emplace(r.bytes());
      out = AttributeValue(std::move(s));
      return r.ok();
    }
    case kNS: {
      std::uint64_t n = r.varint();
      model::NumberSet s;
      for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
        model::Number num;
        if (!decode_number(r.bytes(), num)) return false;
        s.values.insert(std::move(num));
      }
      out = AttributeValue(std::move(s));
      return r.ok();
    }
    case kBS: {
      std::uint64_t n = r.varint();
      model::BinarySet s;
      for (std::uint64_t i = 0; i < n && r.ok(); ++i) s.values.insert(model::Bytes{std::string(r.bytes())});
      out = AttributeValue(std::move(s));
      return r.ok();
    }
    default: return false;
  }
}

bool decode_map(Reader& r, model::Map& out, int depth) {
  std::uint64_t n = r.varint();
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string name(r.bytes());
    AttributeValue v;
    if (!r.ok() || !decode_value(r, v, depth)) return false;
    out.emplace_hint(out.end(), std::move(name), std::move(v));
  }
  return r.ok();
}

}  // namespace

void encode_item(const Item& item, std::string& out) { encode_map(item, out); }

std::string encode_item(const Item& item) {
  std::string out;
  encode_map(item, out);
  return out;
}

Result<Item> decode_item(std::string_view bytes) {
  Reader r(bytes);
  Item item;
  if (!decode_map(r, item, 0) || !r.at_end()) return Error::internal("corrupt stored item");
  return item;
}

}  // namespace cartflow::embedded
