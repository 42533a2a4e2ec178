// SPDX-License-Identifier: Apache-2.0
// Matching records against compiled filter patterns.
#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "events/filter_pattern.h"
#include "events/filter_pattern_internal.h"

namespace cartflow::events {

using model::Error;
using model::Result;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// A leaf value of the record.
struct Leaf {
  FilterScalar::Type type = FilterScalar::Type::kNull;
  std::string_view text;
  double number = 0;
  bool boolean = false;
};

std::optional<Leaf> to_leaf(element e) {
  Leaf l;
  switch (e.type()) {
    case element_type::STRING:
      if (e.get_string().get(l.text)) return std::nullopt;
      l.type = FilterScalar::Type::kString;
      return l;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      if (e.get_double().get(l.number)) return std::nullopt;
      l.type = FilterScalar::Type::kNumber;
      return l;
    case element_type::BOOL:
      if (e.get_bool().get(l.boolean)) return std::nullopt;
      l.type = FilterScalar::Type::kBool;
      return l;
    case element_type::NULL_VALUE:
      l.type = FilterScalar::Type::kNull;
      return l;
    default:
      return std::nullopt;
  }
}

// Leaf values at a field: the value itself, or the scalar elements of an array (flattened).
void collect_leaves(element e, std::vector<Leaf>& out, int depth) {
  if (e.type() == element_type::ARRAY) {
    if (depth > FilterPattern::kMaxDepth) return;
    simdjson::dom::array arr;
    if (e.get_array().get(arr)) return;
    for (element x : arr) collect_leaves(x, out, depth + 1);
    return;
  }
  if (auto l = to_leaf(e)) out.push_back(*l);
}

bool scalar_equals(const FilterScalar& s, const Leaf& l) {
  if (s.type != l.type) return false;
  switch (s.type) {
    case FilterScalar::Type::kString: return s.text == l.text;
    case FilterScalar::Type::kNumber: return s.number == l.number;
    case FilterScalar::Type::kBool: return s.boolean == l.boolean;
    case FilterScalar::Type::kNull: return true;
  }
  return false;
}

bool in_range(const FilterCondition& c, double n) {
  if (c.has_lower && (c.lower_inclusive ? n < c.lower : n <= c.lower)) return false;
  if (c.has_upper && (c.upper_inclusive ? n > c.upper : n >= c.upper)) return false;
  return true;
}

bool condition_matches(const FilterCondition& c, const Leaf& l) {
  using K = FilterCondition::Kind;
  const bool is_string = l.type == FilterScalar::Type::kString;
  switch (c.kind) {
    case K::kExact: return scalar_equals(c.scalar, l);
    case K::kPrefix: return is_string && starts_with(l.text, c.text);
    case K::kSuffix: return is_string && ends_with(l.text, c.text);
    case K::kEqualsIgnoreCase: return is_string && ascii_lower(l.text) == c.text;
    case K::kAnythingBut:
      for (const auto& s : c.scalars) {
        if (scalar_equals(s, l)) return false;
      }
      return true;
    case K::kAnythingButPrefix: return is_string && !starts_with(l.text, c.text);
    case K::kAnythingButSuffix: return is_string && !ends_with(l.text, c.text);
    case K::kAnythingButIgnoreCase: return is_string && ascii_lower(l.text) != c.text;
    case K::kNumeric: return l.type == FilterScalar::Type::kNumber && in_range(c, l.number);
    case K::kExists: return false;  // handled by the caller
  }
  return false;
}

bool match_node(const FilterPattern::Node& node, std::optional<element> value);

bool match_leaf(const FilterField& f, std::optional<element> value) {
  std::vector<Leaf> leaves;
  if (value) collect_leaves(*value, leaves, 0);
  for (const auto& c : f.conditions) {
    if (c.kind == FilterCondition::Kind::kExists) {
      if (c.exists != leaves.empty()) return true;
      continue;
    }
    for (const auto& l : leaves) {
      if (condition_matches(c, l)) return true;
    }
  }
  return false;
}

bool match_nested(const FilterPattern::Node& node, std::optional<element> value) {
  if (value && value->type() == element_type::ARRAY) {
    simdjson::dom::array arr;
    if (value->get_array().get(arr) || arr.size() == 0) return match_node(node, std::nullopt);
    for (element x : arr) {
      if (match_nested(node, x)) return true;
    }
    return false;
  }
  return match_node(node, value);
}

// `value` absent or not an object: its fields are all absent (only exists:false can match).
bool match_node(const FilterPattern::Node& node, std::optional<element> value) {
  simdjson::dom::object obj;
  const bool is_object =
      value && value->type() == element_type::OBJECT && !value->get_object().get(obj);
  for (const auto& f : node.fields) {
    std::optional<element> child;
    if (is_object) {
      element c;
      if (!obj.at_key(f.name).get(c)) child = c;
    }
    if (!(f.leaf ? match_leaf(f, child) : match_nested(*f.nested, child))) return false;
  }
  for (const auto& group : node.ors) {
    bool any = false;
    for (const auto& alt : group) {
      if (match_node(alt, value)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

Result<element> parse_record(simdjson::dom::parser& parser, const simdjson::padded_string& text) {
  element root;
  if (auto err = parser.parse(text).get(root); err) {
    return Error::invalid(std::string("record is not JSON: ") + simdjson::error_message(err));
  }
  if (root.type() != element_type::OBJECT) return Error::invalid("record is not a JSON object");
  return root;
}

}  // namespace

Result<bool> FilterPattern::matches(std::string_view record_json) const {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(record_json);
  auto root = parse_record(parser, padded);
  if (!root) return std::move(root).error();
  return match_node(*root_, *root);
}

Result<bool> FilterCriteria::matches(std::string_view record_json) const {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(record_json);
  auto root = parse_record(parser, padded);
  if (!root) return std::move(root).error();
  if (patterns_.empty()) return true;
  for (const auto& p : patterns_) {
    if (match_node(*p.root_, *root)) return true;
  }
  return false;
}

Result<std::vector<bool>> FilterCriteria::match_records(std::string_view event_json) const {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(event_json);
  auto root = parse_record(parser, padded);
  if (!root) return std::move(root).error();
  simdjson::dom::array records;
  if (root->at_key("Records").get_array().get(records)) {
    return Error::invalid("event has no \"Records\" array");
  }
  std::vector<bool> out;
  out.reserve(records.size());
  for (element r : records) {
    bool pass = r.type() == element_type::OBJECT;
    if (pass && !patterns_.empty()) {
      pass = false;
      for (const auto& p : patterns_) {
        if (match_node(*p.root_, r)) {
          pass = true;
          break;
        }
      }
    }
    out.push_back(pass);
  }
  return out;
}

}  // namespace cartflow::events
