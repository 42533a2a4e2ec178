// SPDX-License-Identifier: Apache-2.0
#include "model/json_parse_internal.h"

namespace cartflow::model::json_internal {

std::string PathStack::text() const {
  std::string out;
  for (const Part& p : parts_) {
    if (p.is_index) {
      out += "[" + std::to_string(p.index) + "]";
    } else {
      if (!out.empty()) out.push_back('.');
      out.append(p.key.substr(0, 256));
    }
  }
  return out;
}

bool ErrorSink::fail(std::string_view message) {
  std::string where = path_.text();
  error_ = Error::invalid(where.empty() ? std::string(message) : where + ": " + std::string(message));
  return false;
}

bool ErrorSink::fail_json(simdjson::error_code code, std::string_view type_message) {
  if (code == simdjson::INCORRECT_TYPE && !type_message.empty()) return fail(type_message);
  return fail(std::string("invalid JSON: ") + simdjson::error_message(code));
}

simdjson::simdjson_result<sj::document> iterate(std::string_view json) {
  thread_local sj::parser parser;
  thread_local std::string buffer;
  buffer.assign(json);
  buffer.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  return parser.iterate(buffer.data(), json.size(), buffer.capacity());
}

bool at_end(sj::document& doc) {
  auto location = doc.current_location();
  return location.error() == simdjson::OUT_OF_BOUNDS;
}

bool json_number_text(std::string_view raw, std::string_view& number) {
  std::size_t end = raw.size();
  while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t' || raw[end - 1] == '\n' ||
                     raw[end - 1] == '\r')) {
    --end;
  }
  std::string_view s = raw.substr(0, end);
  std::size_t i = 0;
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i != s.size()) return false;
  number = s;
  return true;
}

}  // namespace cartflow::model::json_internal
