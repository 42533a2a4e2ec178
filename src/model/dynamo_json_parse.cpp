// SPDX-License-Identifier: Apache-2.0
// DynamoDB JSON parser over simdjson On-Demand. Every token of the input is consumed, so the
// parser validates the whole document, not only the parts it reads.
// GCC 12 reports a false -Wmaybe-uninitialized inside std::variant's move assignment at -O3
// (GCC bug 105562 family); the values are always initialized.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "model/dynamo_json.h"
#include "model/json_parse_internal.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <unordered_set>
#include <vector>

namespace cartflow::model {
namespace {

using namespace json_internal;  // NOLINT(google-build-using-namespace): private plumbing

class DynamoParser {
 public:
  friend class Scanner;
  DynamoParser() : sink_(path_) {}

  // Parses {"<type>": <payload>} into `out`.
  bool typed(sj::object object, int depth, AttributeValue& out) {
    int count = 0;
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return sink_.fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return sink_.fail_json(e);
      if (++count > 1) {
        return sink_.fail(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      auto type = parse_type_descriptor(key);
      if (!type) {
        return sink_.fail("unknown attribute type \"" + std::string(key.substr(0, 32)) +
                          "\"; expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS");
      }
      if (!payload(*type, field.value(), depth, out)) return false;
    }
    if (count == 0) {
      return sink_.fail(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    return true;
  }

  bool value(sj::value v, int depth, AttributeValue& out) {
    sj::object object;
    if (auto e = v.get_object().get(object)) {
      return sink_.fail_json(e, "attribute value must be a JSON object like {\"S\":\"text\"}");
    }
    return typed(object, depth, out);
  }

  bool map(sj::object object, int depth, Map& out) {
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return sink_.fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return sink_.fail_json(e);
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

  bool item(sj::object object, Item& out) {
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return sink_.fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return sink_.fail_json(e);
      if (key.empty()) return sink_.fail("attribute name must not be empty");
      path_.push_key(key);
      AttributeValue v;
      if (!value(field.value(), 0, v)) return false;
      if (!out.emplace(std::string(key), std::move(v)).second) {
        return sink_.fail("duplicate attribute name");
      }
      path_.pop();
    }
    return true;
  }

  ErrorSink& sink() { return sink_; }

 private:
  bool string_of(sj::value& v, std::string_view type, std::string_view& s) {
    if (auto e = v.get_string().get(s)) {
      return sink_.fail_json(e, std::string(type) + " value must be a string");
    }
    return true;
  }

  bool number_of(std::string_view text, Number& n) {
    auto parsed = Number::parse(text);
    if (!parsed) return sink_.fail(parsed.error().message);
    n = std::move(parsed).value();
    return true;
  }

  bool bytes_of(std::string_view text, std::string_view type, Bytes& b) {
    auto decoded = base64_decode(text);
    if (!decoded) {
      return sink_.fail(std::string(type) + " value is not valid base64: " + decoded.error().message);
    }
    b.data = std::move(decoded).value();
    return true;
  }

  // Iterates a set's JSON array of strings, calling add(text) for each; fails on an empty set.
  template <typename Add>
  bool set_of(sj::value& v, std::string_view type, Add add) {
    sj::array array;
    if (auto e = v.get_array().get(array)) {
      return sink_.fail_json(e, std::string(type) + " value must be an array of strings");
    }
    std::size_t index = 0;
    for (auto element : array) {
      std::string_view s;
      path_.push_index(index);
      if (auto e = element.get_string().get(s)) {
        return sink_.fail_json(e, std::string(type) + " members must be strings");
      }
      if (!add(s)) return false;
      path_.pop();
      ++index;
    }
    if (index == 0) {
      return sink_.fail("One or more parameter values were invalid: " + std::string(type) +
                        " must not be empty");
    }
    return true;
  }

  bool duplicate(std::string_view type) {
    return sink_.fail("One or more parameter values were invalid: Input collection of " +
                      std::string(type) + " contains duplicates");
  }

  // Parses the payload of a value of type `type` (at nesting `depth`) into `out`. On failure
  // the sink holds the error (with the path) and `out` is unspecified.
  bool payload(AttributeType type, sj::value v, int depth, AttributeValue& out) {
    switch (type) {
      case AttributeType::kS: return s_payload(v, out);
      case AttributeType::kN: return n_payload(v, out);
      case AttributeType::kB: return b_payload(v, out);
      case AttributeType::kBool: return bool_payload(v, out);
      case AttributeType::kNull: return null_payload(v, out);
      case AttributeType::kM: return m_payload(v, depth, out);
      case AttributeType::kL: return l_payload(v, depth, out);
      case AttributeType::kSS: return ss_payload(v, out);
      case AttributeType::kNS: return ns_payload(v, out);
      case AttributeType::kBS: return bs_payload(v, out);
    }
    return sink_.fail("unknown attribute type");
  }

  bool s_payload(sj::value& v, AttributeValue& out) {
    std::string_view s;
    if (!string_of(v, "S", s)) return false;
    out = AttributeValue(std::string(s));
    return true;
  }

  bool n_payload(sj::value& v, AttributeValue& out) {
    std::string_view s;
    Number n;
    if (!string_of(v, "N", s) || !number_of(s, n)) return false;
    out = AttributeValue(std::move(n));
    return true;
  }

  bool b_payload(sj::value& v, AttributeValue& out) {
    std::string_view s;
    Bytes b;
    if (!string_of(v, "B", s) || !bytes_of(s, "B", b)) return false;
    out = AttributeValue(std::move(b));
    return true;
  }

  bool bool_payload(sj::value& v, AttributeValue& out) {
    bool b = false;
    if (auto e = v.get_bool().get(b)) return sink_.fail_json(e, "BOOL value must be true or false");
    out = AttributeValue(b);
    return true;
  }

  bool null_payload(sj::value& v, AttributeValue& out) {
    bool b = false;
    if (auto e = v.get_bool().get(b)) return sink_.fail_json(e, "NULL value must be true");
    if (!b) {
      return sink_.fail(
          "One or more parameter values were invalid: Null attribute value types must have "
          "the value of true");
    }
    out = AttributeValue(Null{});
    return true;
  }

  // Fails when a container at `depth` would hold values nested deeper than DynamoDB allows.
  bool check_nesting(int depth) {
    if (depth + 1 > kMaxNestingDepth) {
      return sink_.fail("Nesting Levels have exceeded supported limits");
    }
    return true;
  }

  bool m_payload(sj::value& v, int depth, AttributeValue& out) {
    if (!check_nesting(depth)) return false;
    sj::object object;
    if (auto e = v.get_object().get(object)) return sink_.fail_json(e, "M value must be an object");
    Map m;
    if (!map(object, depth + 1, m)) return false;
    out = AttributeValue(std::move(m));
    return true;
  }

  bool l_payload(sj::value& v, int depth, AttributeValue& out) {
    if (!check_nesting(depth)) return false;
    sj::array array;
    if (auto e = v.get_array().get(array)) return sink_.fail_json(e, "L value must be an array");
    List l;
    if (!for_each_element(array, path_, sink_, [&](sj::value element) {
          AttributeValue av;
          if (!value(element, depth + 1, av)) return false;
          l.push_back(std::move(av));
          return true;
        })) {
      return false;
    }
    out = AttributeValue(std::move(l));
    return true;
  }

  // Parses a set's array of strings: `member(text, m)` reads one member (false: failed, the
  // sink says why); an empty set or a member given twice fails as in DynamoDB.
  template <typename Set, typename Member>
  bool set_payload(sj::value& v, std::string_view type, AttributeValue& out, Member member) {
    Set set;
    if (!set_of(v, type, [&](std::string_view s) {
          typename decltype(Set::values)::value_type m;
          if (!member(s, m)) return false;
          return set.values.insert(std::move(m)).second || duplicate(type);
        })) {
      return false;
    }
    out = AttributeValue(std::move(set));
    return true;
  }

  bool ss_payload(sj::value& v, AttributeValue& out) {
    return set_payload<StringSet>(v, "SS", out, [](std::string_view s, std::string& m) {
      m = s;
      return true;
    });
  }

  bool ns_payload(sj::value& v, AttributeValue& out) {
    return set_payload<NumberSet>(
        v, "NS", out, [this](std::string_view s, Number& n) { return number_of(s, n); });
  }

  bool bs_payload(sj::value& v, AttributeValue& out) {
    return set_payload<BinarySet>(
        v, "BS", out, [this](std::string_view s, Bytes& b) { return bytes_of(s, "BS", b); });
  }

  PathStack path_;
  ErrorSink sink_;
};

// The names of one map so far (views into the document, which lives through the scan), to
// find a repeat: a look through the few names of an order, a hash set past kSmall names.
class NameSet {
 public:
  void clear() {
    count_ = 0;
    large_.clear();
  }
  // False when `name` is in the set already.
  bool insert(std::string_view name) {
    if (count_ > kSmall) return large_.insert(name).second;
    const auto end = small_.begin() + static_cast<std::ptrdiff_t>(count_);
    if (std::find(small_.begin(), end, name) != end) return false;
    if (count_ < kSmall) {
      small_[count_++] = name;
      return true;
    }
    large_.insert(small_.begin(), small_.end());
    large_.insert(name);
    ++count_;
    return true;
  }

 private:
  static constexpr std::size_t kSmall = 16;
  std::array<std::string_view, kSmall> small_;  // the first names, without an allocation
  std::size_t count_ = 0;
  std::unordered_set<std::string_view> large_;  // all of them past kSmall
};

// What a Scanner reads.
enum class ScanMode {
  kScan,          // scan_item
  kValidate,      // check_item_json: as kScan, plus unique names
  kTopScalars,    // scan_item_scalars: top-level attributes only, other values skipped
};

// The scan of scan_item: reads scalars as views, hands anything else to DynamoParser. In
// kValidate, the names of the item and of the maps it reads itself (a top-level L's elements)
// must be unique, as parse_item requires; the deeper maps DynamoParser checks anyway.
class Scanner {
 public:
  // `out` is null for check_item_json, which reports nothing.
  Scanner(ItemScanner* out, ScanMode mode)
      : out_(out), mode_(mode), unique_names_(mode == ScanMode::kValidate) {}

  bool item(sj::object object) {
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail_json(e);
      if (key.empty()) return parser_.sink().fail("attribute name must not be empty");
      path().push_key(key);
      if (!attribute(key, field.value())) return false;
      if (unique_names_ && !names_.insert(key)) return duplicate();
      path().pop();
    }
    return true;
  }

  Error take() { return error_ ? std::move(*error_) : parser_.sink().take(); }

 private:
  PathStack& path() { return parser_.path_; }
  bool fail_json(simdjson::error_code e, std::string_view message = {}) {
    return parser_.sink().fail_json(e, message);
  }
  // Tells out_ (if any) with `call(*out_)`; false when it answers with an error.
  template <typename Call>
  bool report(Call call) {
    if (out_ == nullptr) return true;
    Status status = call(*out_);
    if (status.ok()) return true;
    error_ = std::move(status).error();
    return false;
  }

  // A scalar's text, or false when `type` is not a scalar (then the caller parses it).
  bool scalar(AttributeType type, sj::value& v, std::string_view& text, bool& is_scalar) {
    is_scalar = true;
    switch (type) {
      case AttributeType::kS:
        if (auto e = v.get_string().get(text)) return fail_json(e, "S value must be a string");
        return true;
      case AttributeType::kN: {
        if (auto e = v.get_string().get(text)) return fail_json(e, "N value must be a string");
        auto n = Number::parse(text);
        if (!n) return parser_.sink().fail(n.error().message);
        return true;
      }
      case AttributeType::kBool: {
        bool b = false;
        if (auto e = v.get_bool().get(b)) return fail_json(e, "BOOL value must be true or false");
        text = b ? "true" : "false";
        return true;
      }
      case AttributeType::kNull: {
        bool b = false;
        if (auto e = v.get_bool().get(b)) return fail_json(e, "NULL value must be true");
        if (!b) {
          return parser_.sink().fail(
              "One or more parameter values were invalid: Null attribute value types must have "
              "the value of true");
        }
        text = {};
        return true;
      }
      default:
        is_scalar = false;
        return true;
    }
  }

  // Parses and drops a non-scalar payload (validation only).
  bool drop(AttributeType type, sj::value v, int depth) {
    AttributeValue ignored;
    return parser_.payload(type, v, depth, ignored);
  }

  // One top-level attribute: {"<type>": payload}.
  bool attribute(std::string_view name, sj::value v) {
    sj::object object;
    if (auto e = v.get_object().get(object)) {
      return fail_json(e, "attribute value must be a JSON object like {\"S\":\"text\"}");
    }
    int count = 0;
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail_json(e);
      if (++count > 1) return more_than_one();
      auto type = parse_type_descriptor(key);
      if (!type) return unknown_type(key);
      sj::value payload = field.value();
      std::string_view text;
      bool is_scalar = false;
      if (!scalar(*type, payload, text, is_scalar)) return false;
      if (mode_ == ScanMode::kTopScalars) {
        // The first type key decides; the parser skips the rest of the value, unread.
        return report([&](ItemScanner& out) { return out.attribute(name, *type, text); });
      }
      if (is_scalar) {
        if (!report([&](ItemScanner& out) { return out.attribute(name, *type, text); })) {
          return false;
        }
      } else if (*type == AttributeType::kL) {
        if (!report([&](ItemScanner& out) { return out.attribute(name, *type, {}); })) {
          return false;
        }
        if (!list(name, payload)) return false;
      } else {
        if (!drop(*type, payload, 0)) return false;
        if (!report([&](ItemScanner& out) { return out.attribute(name, *type, {}); })) {
          return false;
        }
      }
    }
    if (count == 0) return empty_value();
    return true;
  }

  bool list(std::string_view name, sj::value v) {
    sj::array array;
    if (auto e = v.get_array().get(array)) return fail_json(e, "L value must be an array");
    std::size_t index = 0;
    for (auto element : array) {
      sj::value ev;
      if (auto e = std::move(element).get(ev)) return fail_json(e);
      path().push_index(index);
      sj::object object;
      if (auto e = ev.get_object().get(object)) {
        return fail_json(e, "attribute value must be a JSON object like {\"S\":\"text\"}");
      }
      int count = 0;
      for (auto field_result : object) {
        sj::field field;
        if (auto e = std::move(field_result).get(field)) return fail_json(e);
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return fail_json(e);
        if (++count > 1) return more_than_one();
        auto type = parse_type_descriptor(key);
        if (!type) return unknown_type(key);
        if (!report([&](ItemScanner& out) { return out.list_element(name, index, *type); })) {
          return false;
        }
        if (*type == AttributeType::kM) {
          if (!members(name, index, field.value())) return false;
        } else if (!drop(*type, field.value(), 1)) {
          return false;
        }
      }
      if (count == 0) return empty_value();
      path().pop();
      ++index;
    }
    return true;
  }

  bool members(std::string_view list, std::size_t index, sj::value v) {
    sj::object object;
    if (auto e = v.get_object().get(object)) return fail_json(e, "M value must be an object");
    if (unique_names_) member_names_.clear();
    for (auto field_result : object) {
      sj::field field;
      if (auto e = std::move(field_result).get(field)) return fail_json(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return fail_json(e);
      path().push_key(key);
      sj::object typed_object;
      if (auto e = field.value().get_object().get(typed_object)) {
        return fail_json(e, "attribute value must be a JSON object like {\"S\":\"text\"}");
      }
      int count = 0;
      for (auto typed_field : typed_object) {
        sj::field tf;
        if (auto e = std::move(typed_field).get(tf)) return fail_json(e);
        std::string_view type_key;
        if (auto e = tf.unescaped_key().get(type_key)) return fail_json(e);
        if (++count > 1) return more_than_one();
        auto type = parse_type_descriptor(type_key);
        if (!type) return unknown_type(type_key);
        sj::value payload = tf.value();
        std::string_view text;
        bool is_scalar = false;
        if (!scalar(*type, payload, text, is_scalar)) return false;
        if (!is_scalar && !drop(*type, payload, 2)) return false;
        if (!report([&](ItemScanner& out) {
              return out.element_member(list, index, key, *type, text);
            })) {
          return false;
        }
      }
      if (count == 0) return empty_value();
      if (unique_names_ && !member_names_.insert(key)) return duplicate();
      path().pop();
    }
    return true;
  }

  // Fails where parse_item does: at the repeat, after its value (the path names it).
  bool duplicate() { return parser_.sink().fail("duplicate attribute name"); }

  bool more_than_one() {
    return parser_.sink().fail(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes");
  }
  bool unknown_type(std::string_view key) {
    return parser_.sink().fail("unknown attribute type \"" + std::string(key.substr(0, 32)) +
                               "\"; expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS");
  }
  bool empty_value() {
    return parser_.sink().fail(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }

  ItemScanner* out_;
  ScanMode mode_;
  bool unique_names_;
  NameSet names_;         // the item's names (unique_names_ only)
  NameSet member_names_;  // the current list element's member names
  DynamoParser parser_;
  std::optional<Error> error_;
};

Status scan(std::string_view json, ItemScanner* scanner, ScanMode mode) {
  Scanner scan(scanner, mode);
  sj::document doc;
  PathStack top;
  ErrorSink sink(top);
  if (auto e = iterate(json).get(doc)) return (sink.fail_json(e), sink.take());
  sj::object object;
  if (auto e = doc.get_object().get(object)) {
    sink.fail_json(e, "an item must be a JSON object of attribute names to values");
    return sink.take();
  }
  if (!scan.item(object)) return scan.take();
  if (!at_end(doc)) return Error::invalid("invalid JSON: trailing content");
  return {};
}

}  // namespace

Result<AttributeValue> parse_attribute_value(std::string_view json) {
  DynamoParser parser;
  sj::document doc;
  if (auto e = iterate(json).get(doc)) return (parser.sink().fail_json(e), parser.sink().take());
  sj::object object;
  if (auto e = doc.get_object().get(object)) {
    parser.sink().fail_json(e, "attribute value must be a JSON object like {\"S\":\"text\"}");
    return parser.sink().take();
  }
  AttributeValue out;
  if (!parser.typed(object, 0, out)) return parser.sink().take();
  if (!at_end(doc)) return (parser.sink().fail("invalid JSON: trailing content"), parser.sink().take());
  return out;
}

Result<Item> parse_item(std::string_view json) {
  DynamoParser parser;
  sj::document doc;
  if (auto e = iterate(json).get(doc)) return (parser.sink().fail_json(e), parser.sink().take());
  sj::object object;
  if (auto e = doc.get_object().get(object)) {
    parser.sink().fail_json(e, "an item must be a JSON object of attribute names to values");
    return parser.sink().take();
  }
  Item out;
  if (!parser.item(object, out)) return parser.sink().take();
  if (!at_end(doc)) return (parser.sink().fail("invalid JSON: trailing content"), parser.sink().take());
  return out;
}

Status scan_item(std::string_view json, ItemScanner& scanner) {
  return scan(json, &scanner, ScanMode::kScan);
}

Status scan_item_scalars(std::string_view json, ItemScanner& scanner) {
  return scan(json, &scanner, ScanMode::kTopScalars);
}

Status check_item_json(std::string_view json) {
  return scan(json, nullptr, ScanMode::kValidate);
}

}  // namespace cartflow::model
