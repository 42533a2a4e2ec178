// SPDX-License-Identifier: Apache-2.0
// Plain JSON -> attribute values, like the SDK document clients' marshall, over simdjson
// On-Demand. Numbers keep their exact text (raw token), so big decimals survive.
// GCC 12 reports a false -Wmaybe-uninitialized inside std::variant's move assignment at -O3
// (GCC bug 105562 family); the values are always initialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "model/dynamo_json.h"
#include "model/json_parse_internal.h"

namespace cartflow::model {
namespace {

using namespace json_internal;  // NOLINT(google-build-using-namespace): private plumbing

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

class PlainParser {
 public:
  PlainParser() : sink_(path_) {}

  bool number(std::string_view raw, AttributeValue& out) {
    std::string_view text;
    if (!json_number_text(raw, text)) return sink_.fail("invalid JSON: malformed number");
    auto n = Number::parse(text);
    if (!n) return sink_.fail(n.error().message);
    out = AttributeValue(std::move(n).value());
    return true;
  }

  bool object(sj::object object, int depth, Map& out) {
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return sink_.fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return sink_.fail_json(e);
      if (depth == 0 && key.empty()) return sink_.fail("attribute name must not be empty");
      path_.push_key(key);
      AttributeValue v;
      if (!value(field.value(), depth, v)) return false;
      if (!out.emplace(std::string(key), std::move(v)).second) {
        return sink_.fail("duplicate attribute name");
      }
      path_.pop();
    }
    return true;
  }

  bool array(sj::array array, int depth, List& out) {
    return for_each_element(array, path_, sink_, [&](sj::value element) {
      AttributeValue v;
      if (!value(element, depth, v)) return false;
      out.push_back(std::move(v));
      return true;
    });
  }

  // `depth` is the number of containers enclosing v.
  bool value(sj::value v, int depth, AttributeValue& out) {
    sj::json_type type;
    if (auto e = v.type().get(type)) return sink_.fail_json(e);
    switch (type) {
      case sj::json_type::object: {
        if (depth + 1 > kMaxNestingDepth) return sink_.fail("Nesting Levels have exceeded supported limits");
        sj::object o;
        if (auto e = v.get_object().get(o)) return sink_.fail_json(e);
        Map m;
        if (!object(o, depth + 1, m)) return false;
        out = AttributeValue(std::move(m));
        return true;
      }
      case sj::json_type::array: {
        if (depth + 1 > kMaxNestingDepth) return sink_.fail("Nesting Levels have exceeded supported limits");
        sj::array a;
        if (auto e = v.get_array().get(a)) return sink_.fail_json(e);
        List l;
        if (!array(a, depth + 1, l)) return false;
        out = AttributeValue(std::move(l));
        return true;
      }
      case sj::json_type::number:
        return number(v.raw_json_token(), out);
      case sj::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s)) return sink_.fail_json(e);
        out = AttributeValue(std::string(s));
        return true;
      }
      case sj::json_type::boolean: {
        bool b = false;
        if (auto e = v.get_bool().get(b)) return sink_.fail_json(e);
        out = AttributeValue(b);
        return true;
      }
      case sj::json_type::null: {
        bool is_null = false;
        if (auto e = v.is_null().get(is_null)) return sink_.fail_json(e);
        if (!is_null) return sink_.fail("invalid JSON: bad literal");
        out = AttributeValue(Null{});
        return true;
      }
    }
    return sink_.fail("invalid JSON");
  }

  ErrorSink& sink() { return sink_; }

 private:
  PathStack path_;
  ErrorSink sink_;
};

Error trailing(PlainParser& parser) {
  parser.sink().fail("invalid JSON: trailing content");
  return parser.sink().take();
}

}  // namespace

Result<AttributeValue> parse_plain_json(std::string_view json) {
  PlainParser parser;
  sj::document doc;
  if (auto e = iterate(json).get(doc)) return (parser.sink().fail_json(e), parser.sink().take());
  sj::json_type type;
  if (auto e = doc.type().get(type)) return (parser.sink().fail_json(e), parser.sink().take());
  AttributeValue out;
  switch (type) {
    case sj::json_type::object: {
      sj::object o;
      if (auto e = doc.get_object().get(o)) return (parser.sink().fail_json(e), parser.sink().take());
      Map m;
      if (!parser.object(o, 1, m)) return parser.sink().take();
      out = AttributeValue(std::move(m));
      break;
    }
    case sj::json_type::array: {
      sj::array a;
      if (auto e = doc.get_array().get(a)) return (parser.sink().fail_json(e), parser.sink().take());
      List l;
      if (!parser.array(a, 1, l)) return parser.sink().take();
      out = AttributeValue(std::move(l));
      break;
    }
    case sj::json_type::number: {
      std::string_view raw;
      if (auto e = doc.raw_json_token().get(raw)) return (parser.sink().fail_json(e), parser.sink().take());
      // A lone number token must be the whole text.
      if (trim(raw) != trim(json)) return trailing(parser);
      if (!parser.number(raw, out)) return parser.sink().take();
      return out;
    }
    case sj::json_type::string: {
      std::string_view s;
      if (auto e = doc.get_string().get(s)) return (parser.sink().fail_json(e), parser.sink().take());
      return AttributeValue(std::string(s));
    }
    case sj::json_type::boolean: {
      bool b = false;
      if (auto e = doc.get_bool().get(b)) return (parser.sink().fail_json(e), parser.sink().take());
      return AttributeValue(b);
    }
    case sj::json_type::null: {
      bool is_null = false;
      if (auto e = doc.is_null().get(is_null)) return (parser.sink().fail_json(e), parser.sink().take());
      if (!is_null) return (parser.sink().fail("invalid JSON: bad literal"), parser.sink().take());
      return AttributeValue(Null{});
    }
  }
  if (!at_end(doc)) return trailing(parser);
  return out;
}

Result<Item> parse_plain_item(std::string_view json) {
  PlainParser parser;
  sj::document doc;
  if (auto e = iterate(json).get(doc)) return (parser.sink().fail_json(e), parser.sink().take());
  sj::object o;
  if (auto e = doc.get_object().get(o)) {
    parser.sink().fail_json(e, "an item must be a JSON object");
    return parser.sink().take();
  }
  Item item;
  if (!parser.object(o, 0, item)) return parser.sink().take();
  if (!at_end(doc)) return trailing(parser);
  return item;
}

}  // namespace cartflow::model
