// SPDX-License-Identifier: Apache-2.0
#pragma once

// Lambda event filtering (FilterCriteria of an event source mapping): a filter pattern is a
// JSON object shaped like the records it selects; a record (as the function would see it, e.g.
// {"eventName":"INSERT","dynamodb":{"NewImage":{...}}}) matches when every field of the pattern
// matches. Supported syntax, as Lambda documents it:
//   - leaf values are arrays, OR of their elements: exact strings, numbers (compared
//     numerically), true/false, null (matches JSON null), "" (matches the empty string);
//   - operator objects: {"prefix":"us-"}, {"suffix":".png"}, {"equals-ignore-case":"x"},
//     {"anything-but": v | [v, ...] | {"prefix"|"suffix"|"equals-ignore-case": "x"}},
//     {"numeric": ["=", 5]} / [">", 0, "<=", 5] (one lower and/or one upper bound),
//     {"exists": true|false};
//   - nested objects descend into the record; "$or": [{...}, {...}, ...] (at least two) matches
//     when any alternative does, ANDed with the sibling fields.
// A record field holding an array matches when any of its elements does. Operators other than
// exists:false need the field to be present as a leaf (exists works on leaf values only: an
// object is not a leaf). Strings compare byte-wise; equals-ignore-case folds ASCII letters only.
// Numeric operators match JSON numbers only: DynamoDB's {"N":"5"} is a string and needs exact
// string values, as on AWS.
// Patterns are immutable once parsed; matching is thread-safe and never throws.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace cartflow::events {

class FilterPattern {
 public:
  // Lambda's limits: a pattern is at most 4096 characters, a criteria has at most 5 patterns.
  static constexpr std::size_t kMaxPatternLength = 4096;
  static constexpr int kMaxDepth = 32;

  // Parses one pattern. Fails with kInvalidArgument and a message naming the path and the
  // problem: not JSON, not an object, longer than kMaxPatternLength, empty object, a leaf that is
  // not an array, an empty array, an unknown operator or a wrong operand type, a malformed
  // numeric range, "$or" with fewer than two objects, nesting deeper than kMaxDepth.
  static model::Result<FilterPattern> parse(std::string_view pattern_json);

  // Whether `record_json` matches. Fails with kInvalidArgument when it is not a JSON object.
  model::Result<bool> matches(std::string_view record_json) const;

  // The pattern text as given to parse().
  const std::string& text() const { return text_; }

  struct Node;  // compiled pattern (defined in the .cpp)

 private:
  FilterPattern(std::shared_ptr<const Node> root, std::string text)
      : root_(std::move(root)), text_(std::move(text)) {}
  friend class FilterCriteria;

  std::shared_ptr<const Node> root_;
  std::string text_;
};

// FilterCriteria: up to kMaxFilters patterns; a record passes when any pattern matches. An empty
// criteria lets every record pass (a mapping without FilterCriteria).
class FilterCriteria {
 public:
  static constexpr std::size_t kMaxFilters = 5;

  FilterCriteria() = default;
  // Fails with kInvalidArgument for more than kMaxFilters patterns or an invalid one (the
  // message names its index).
  static model::Result<FilterCriteria> parse(const std::vector<std::string>& patterns);

  bool empty() const { return patterns_.empty(); }
  const std::vector<FilterPattern>& patterns() const { return patterns_; }

  // Parses the record once and tries each pattern. Fails with kInvalidArgument when the record
  // is not a JSON object (then even an empty criteria fails, so callers learn about bad input).
  model::Result<bool> matches(std::string_view record_json) const;

  // Matches each element of the top-level "Records" array of a Lambda event (one parse for a
  // whole batch); element i of the result is whether record i passes. Fails with
  // kInvalidArgument when the event is not JSON or has no "Records" array; a record that is not
  // an object does not pass.
  model::Result<std::vector<bool>> match_records(std::string_view event_json) const;

 private:
  std::vector<FilterPattern> patterns_;
};

}  // namespace cartflow::events
