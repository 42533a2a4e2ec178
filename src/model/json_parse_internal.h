// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to src/model: the simdjson On-Demand plumbing shared by the DynamoDB JSON and plain
// JSON parsers (chosen by measurement, see docs/JSON_LIBRARY.md). simdjson types never leave
// src/model/*.cpp.

#include <simdjson.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"

namespace cartflow::model::json_internal {

namespace sj = simdjson::ondemand;

// Where the parser is, for error messages: "order_items[2].quantity". Keys are views into the
// parser's string buffer, valid while the document is; the text is built only on failure.
class PathStack {
 public:
  // An order's deepest path (attribute, line, member) and then some, in one allocation.
  PathStack() { parts_.reserve(8); }
  void push_key(std::string_view key) { parts_.push_back({key, 0, false}); }
  void push_index(std::size_t index) { parts_.push_back({{}, index, true}); }
  void pop() { parts_.pop_back(); }
  std::string text() const;

 private:
  struct Part {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  std::vector<Part> parts_;
};

// Records the first failure of a parse; parsers return false after calling fail().
class ErrorSink {
 public:
  explicit ErrorSink(const PathStack& path) : path_(path) {}
  bool fail(std::string_view message);
  // A simdjson error: INCORRECT_TYPE becomes `type_message`, anything else "invalid JSON: ...".
  bool fail_json(simdjson::error_code code, std::string_view type_message = {});
  Error take() { return std::move(error_); }

 private:
  const PathStack& path_;
  Error error_;
};

// Calls element(value) on each element of `array` in order, with `path` at the element's index
// meanwhile; returns false at the first element for which it returns false (having reported to
// `sink`), or on invalid JSON (reported here).
template <typename Element>
bool for_each_element(sj::array array, PathStack& path, ErrorSink& sink, Element element) {
  std::size_t index = 0;
  for (auto item : array) {
    sj::value v;
    if (auto e = std::move(item).get(v)) return sink.fail_json(e);
    path.push_index(index++);
    if (!element(v)) return false;
    path.pop();
  }
  return true;
}

// A per-thread parser and padded copy of the input. iterate() returns the document or the error;
// the document stays valid until the next iterate() on the same thread.
simdjson::simdjson_result<sj::document> iterate(std::string_view json);

// True when nothing but whitespace follows what the document has consumed.
bool at_end(sj::document& doc);

// Validates a JSON number token (RFC 8259 grammar) and trims trailing whitespace from a raw
// token; returns false if the token is not a JSON number.
bool json_number_text(std::string_view raw, std::string_view& number);

}  // namespace cartflow::model::json_internal
