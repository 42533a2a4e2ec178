// SPDX-License-Identifier: Apache-2.0
// Parsing of filter patterns into FilterPattern::Node trees.
#include "events/filter_pattern.h"

#include <simdjson.h>

#include <set>
#include <string>
#include <utility>

#include "events/filter_pattern_internal.h"

namespace cartflow::events {

using model::Error;
using model::Result;
using model::Status;
using simdjson::dom::element;
using simdjson::dom::element_type;

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

Error bad(const std::string& path, const std::string& what) {
  return Error::invalid("invalid filter pattern at " + (path.empty() ? "<root>" : path) + ": " +
                        what);
}

bool is_number(element_type t) {
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

// Reads a scalar (string, number, bool, null); false for arrays and objects.
bool read_scalar(element e, FilterScalar& out) {
  switch (e.type()) {
    case element_type::STRING: {
      std::string_view s;
      if (e.get_string().get(s)) return false;
      out.type = FilterScalar::Type::kString;
      out.text = std::string(s);
      return true;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      double d = 0;
      if (e.get_double().get(d)) return false;
      out.type = FilterScalar::Type::kNumber;
      out.number = d;
      return true;
    }
    case element_type::BOOL: {
      bool b = false;
      if (e.get_bool().get(b)) return false;
      out.type = FilterScalar::Type::kBool;
      out.boolean = b;
      return true;
    }
    case element_type::NULL_VALUE:
      out.type = FilterScalar::Type::kNull;
      return true;
    default:
      return false;
  }
}

Status parse_string_operand(element v, const std::string& path, const char* op,
                            std::string& out) {
  std::string_view s;
  if (v.type() != element_type::STRING || v.get_string().get(s)) {
    return bad(path, std::string("\"") + op + "\" needs a string");
  }
  out = std::string(s);
  return {};
}

Status parse_anything_but(element v, const std::string& path, FilterCondition& c) {
  if (v.type() == element_type::OBJECT) {
    simdjson::dom::object obj;
    if (v.get_object().get(obj) || obj.size() != 1) {
      return bad(path, "\"anything-but\" object needs exactly one of prefix, suffix, "
                       "equals-ignore-case");
    }
    auto [key, operand] = *obj.begin();
    if (key == "prefix") {
      c.kind = FilterCondition::Kind::kAnythingButPrefix;
    } else if (key == "suffix") {
      c.kind = FilterCondition::Kind::kAnythingButSuffix;
    } else if (key == "equals-ignore-case") {
      c.kind = FilterCondition::Kind::kAnythingButIgnoreCase;
    } else {
      return bad(path, "unsupported \"anything-but\" operator \"" + std::string(key) + "\"");
    }
    if (auto s = parse_string_operand(operand, path, "anything-but", c.text); !s) return s;
    if (c.kind == FilterCondition::Kind::kAnythingButIgnoreCase) c.text = ascii_lower(c.text);
    return {};
  }
  c.kind = FilterCondition::Kind::kAnythingBut;
  auto add = [&](element e) -> Status {
    FilterScalar s;
    if (!read_scalar(e, s) || (s.type != FilterScalar::Type::kString &&
                               s.type != FilterScalar::Type::kNumber)) {
      return bad(path, "\"anything-but\" values must be strings or numbers");
    }
    if (!c.scalars.empty() && c.scalars.front().type != s.type) {
      return bad(path, "\"anything-but\" values must be all strings or all numbers");
    }
    c.scalars.push_back(std::move(s));
    return {};
  };
  if (v.type() == element_type::ARRAY) {
    simdjson::dom::array arr;
    if (v.get_array().get(arr) || arr.size() == 0) {
      return bad(path, "\"anything-but\" list must not be empty");
    }
    for (element e : arr) {
      if (auto s = add(e); !s) return s;
    }
    return {};
  }
  return add(v);
}

Status parse_numeric(element v, const std::string& path, FilterCondition& c) {
  c.kind = FilterCondition::Kind::kNumeric;
  simdjson::dom::array arr;
  if (v.type() != element_type::ARRAY || v.get_array().get(arr) ||
      (arr.size() != 2 && arr.size() != 4)) {
    return bad(path, "\"numeric\" needs [op, number] or [op, number, op, number]");
  }
  std::vector<element> items(arr.begin(), arr.end());
  for (std::size_t i = 0; i < items.size(); i += 2) {
    std::string_view op;
    if (items[i].type() != element_type::STRING || items[i].get_string().get(op)) {
      return bad(path, "\"numeric\" operator must be a string");
    }
    double n = 0;
    if (!is_number(items[i + 1].type()) || items[i + 1].get_double().get(n)) {
      return bad(path, "\"numeric\" operand must be a number");
    }
    if (op == "=") {
      if (items.size() != 2) return bad(path, "\"numeric\" \"=\" cannot be combined");
      c.has_lower = c.has_upper = c.lower_inclusive = c.upper_inclusive = true;
      c.lower = c.upper = n;
    } else if (op == ">" || op == ">=") {
      if (c.has_lower) return bad(path, "\"numeric\" has two lower bounds");
      c.has_lower = true;
      c.lower_inclusive = op == ">=";
      c.lower = n;
    } else if (op == "<" || op == "<=") {
      if (c.has_upper) return bad(path, "\"numeric\" has two upper bounds");
      c.has_upper = true;
      c.upper_inclusive = op == "<=";
      c.upper = n;
    } else {
      return bad(path, "unknown \"numeric\" operator \"" + std::string(op) + "\"");
    }
  }
  if (c.has_lower && c.has_upper && c.lower > c.upper) {
    return bad(path, "\"numeric\" range is empty (lower bound above upper bound)");
  }
  return {};
}

Status parse_operator(element e, const std::string& path, FilterCondition& c) {
  simdjson::dom::object obj;
  if (e.get_object().get(obj) || obj.size() != 1) {
    return bad(path, "an operator object needs exactly one key");
  }
  auto [key, v] = *obj.begin();
  if (key == "prefix" || key == "suffix" || key == "equals-ignore-case") {
    c.kind = key == "prefix"   ? FilterCondition::Kind::kPrefix
             : key == "suffix" ? FilterCondition::Kind::kSuffix
                               : FilterCondition::Kind::kEqualsIgnoreCase;
    std::string op(key);
    if (auto s = parse_string_operand(v, path, op.c_str(), c.text); !s) return s;
    if (c.kind == FilterCondition::Kind::kEqualsIgnoreCase) c.text = ascii_lower(c.text);
    return {};
  }
  if (key == "anything-but") return parse_anything_but(v, path, c);
  if (key == "numeric") return parse_numeric(v, path, c);
  if (key == "exists") {
    c.kind = FilterCondition::Kind::kExists;
    if (v.type() != element_type::BOOL || v.get_bool().get(c.exists)) {
      return bad(path, "\"exists\" needs true or false");
    }
    return {};
  }
  return bad(path, "unsupported operator \"" + std::string(key) + "\"");
}

Status parse_leaf(simdjson::dom::array arr, const std::string& path, FilterField& f) {
  if (arr.size() == 0) return bad(path, "empty arrays are not allowed");
  for (element e : arr) {
    FilterCondition c;
    if (e.type() == element_type::OBJECT) {
      if (auto s = parse_operator(e, path, c); !s) return s;
    } else if (e.type() == element_type::ARRAY) {
      return bad(path, "nested arrays are not allowed");
    } else {
      c.kind = FilterCondition::Kind::kExact;
      if (!read_scalar(e, c.scalar)) return bad(path, "unreadable value");
    }
    f.conditions.push_back(std::move(c));
  }
  return {};
}

Status parse_node(element e, const std::string& path, int depth, FilterPattern::Node& node) {
  if (depth > FilterPattern::kMaxDepth) return bad(path, "nesting is too deep");
  simdjson::dom::object obj;
  if (e.type() != element_type::OBJECT || e.get_object().get(obj)) {
    return bad(path, "must be an object");
  }
  if (obj.size() == 0) return bad(path, "empty objects are not allowed");
  std::set<std::string_view> seen;
  for (auto [key, value] : obj) {
    if (!seen.insert(key).second) return bad(path, "duplicate key \"" + std::string(key) + "\"");
    const std::string sub = path.empty() ? std::string(key) : path + "." + std::string(key);
    if (key == "$or") {
      simdjson::dom::array alts;
      if (value.type() != element_type::ARRAY || value.get_array().get(alts) ||
          alts.size() < 2) {
        return bad(sub, "\"$or\" needs an array of at least two objects");
      }
      std::vector<FilterPattern::Node> group;
      for (element alt : alts) {
        FilterPattern::Node n;
        if (auto s = parse_node(alt, sub, depth + 1, n); !s) return s;
        group.push_back(std::move(n));
      }
      node.ors.push_back(std::move(group));
      continue;
    }
    FilterField field;
    field.name = std::string(key);
    if (value.type() == element_type::OBJECT) {
      field.leaf = false;
      field.nested = std::make_unique<FilterPattern::Node>();
      if (auto s = parse_node(value, sub, depth + 1, *field.nested); !s) return s;
    } else if (value.type() == element_type::ARRAY) {
      simdjson::dom::array arr;
      if (value.get_array().get(arr)) return bad(sub, "unreadable array");
      if (auto s = parse_leaf(arr, sub, field); !s) return s;
    } else {
      return bad(sub, "match values must be in an array");
    }
    node.fields.push_back(std::move(field));
  }
  return {};
}

}  // namespace

Result<FilterPattern> FilterPattern::parse(std::string_view pattern_json) {
  if (pattern_json.size() > kMaxPatternLength) {
    return Error::invalid("invalid filter pattern: longer than 4096 characters");
  }
  simdjson::dom::parser parser;
  simdjson::padded_string padded(pattern_json);
  element root;
  if (auto err = parser.parse(padded).get(root); err) {
    return Error::invalid(std::string("invalid filter pattern: not JSON: ") +
                          simdjson::error_message(err));
  }
  auto node = std::make_shared<Node>();
  if (auto s = parse_node(root, "", 1, *node); !s) return std::move(s).error();
  return FilterPattern(std::move(node), std::string(pattern_json));
}

Result<FilterCriteria> FilterCriteria::parse(const std::vector<std::string>& patterns) {
  if (patterns.size() > kMaxFilters) {
    return Error::invalid("FilterCriteria has " + std::to_string(patterns.size()) +
                          " filters; at most 5 are allowed");
  }
  FilterCriteria out;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    auto p = FilterPattern::parse(patterns[i]);
    if (!p) return Error::invalid("filter " + std::to_string(i) + ": " + p.error().message);
    out.patterns_.push_back(std::move(p).value());
  }
  return out;
}

}  // namespace cartflow::events
