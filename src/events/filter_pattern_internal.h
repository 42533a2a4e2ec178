// SPDX-License-Identifier: Apache-2.0
#pragma once

// Compiled form of a FilterPattern, shared by the parser (filter_pattern.cpp) and the matcher
// (filter_pattern_match.cpp). Private to the events layer.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "events/filter_pattern.h"

namespace cartflow::events {

// A JSON scalar of a pattern: what an exact value or an anything-but entry compares with.
struct FilterScalar {
  enum class Type { kString, kNumber, kBool, kNull };
  Type type = Type::kNull;
  std::string text;  // kString
  double number = 0;  // kNumber
  bool boolean = false;  // kBool
};

// One element of a leaf array. Elements of one leaf are ORed.
struct FilterCondition {
  enum class Kind {
    kExact,                  // scalar
    kPrefix,                 // text
    kSuffix,                 // text
    kEqualsIgnoreCase,       // text
    kAnythingBut,            // scalars: value not among them
    kAnythingButPrefix,      // text
    kAnythingButSuffix,      // text
    kAnythingButIgnoreCase,  // text
    kNumeric,                // bounds
    kExists,                 // exists
  };
  Kind kind = Kind::kExact;
  FilterScalar scalar;
  std::vector<FilterScalar> scalars;
  std::string text;
  bool exists = true;
  // kNumeric: "=" is lower == upper, both inclusive.
  bool has_lower = false;
  bool lower_inclusive = false;
  double lower = 0;
  bool has_upper = false;
  bool upper_inclusive = false;
  double upper = 0;
};

struct FilterField;

struct FilterPattern::Node {
  std::vector<FilterField> fields;  // ANDed
  // Each "$or" group: any of its alternatives; groups are ANDed with the fields.
  std::vector<std::vector<Node>> ors;
};

struct FilterField {
  std::string name;
  bool leaf = true;
  std::vector<FilterCondition> conditions;  // leaf: ORed
  std::unique_ptr<FilterPattern::Node> nested;  // !leaf
};

// Folds ASCII letters to lower case.
std::string ascii_lower(std::string_view text);

}  // namespace cartflow::events
