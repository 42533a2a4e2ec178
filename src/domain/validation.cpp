// SPDX-License-Identifier: Apache-2.0
#include "domain/validation.h"

#include <charconv>

namespace cartflow::domain {

namespace {

const char* type_name(const model::AttributeValue& value) {
  switch (value.type()) {
    case model::AttributeType::kS: return "a string";
    case model::AttributeType::kN: return "a number";
    case model::AttributeType::kBool: return "a boolean";
    case model::AttributeType::kNull: return "null";
    case model::AttributeType::kM: return "an object";
    case model::AttributeType::kL: return "an array";
    default: return "another type";
  }
}

FieldError invalid(std::string_view field, std::string message) {
  return FieldError{"INVALID_FIELD", std::string(field), std::move(message)};
}

}  // namespace

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength) return false;
  for (char c : key) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

Validated<std::string> required_id(const model::Item& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->second.type() == model::AttributeType::kNull) {
    return FieldError{"MISSING_FIELD", std::string(field),
                      std::string(field) + " is required"};
  }
  const std::string* s = it->second.as_s();
  if (s == nullptr) {
    return invalid(field, std::string(field) + " must be a string, not " +
                              type_name(it->second));
  }
  if (!is_valid_id(*s)) {
    return invalid(field, std::string(field) + " must match [A-Za-z0-9_-]{1,64}");
  }
  return *s;
}

Validated<std::string> path_id(std::string_view value, std::string_view name) {
  if (!is_valid_id(value)) {
    return FieldError{"INVALID_PATH_PARAMETER", std::string(name),
                      std::string(name) + " must match [A-Za-z0-9_-]{1,64}"};
  }
  return std::string(value);
}

Validated<std::int64_t> integer_in_range(const model::AttributeValue& value,
                                         std::string_view field, std::int64_t low,
                                         std::int64_t high) {
  std::string range = std::to_string(low) + " and " + std::to_string(high);
  const model::Number* n = value.as_n();
  if (n == nullptr) {
    return invalid(field, std::string(field) + " must be an integer between " + range +
                              ", not " + type_name(value));
  }
  auto i = n->to_int64();
  if (!n->is_integer() || !i.ok() || *i < low || *i > high) {
    return invalid(field, std::string(field) + " must be an integer between " + range);
  }
  return *i;
}

Validated<std::int64_t> quantity(const model::AttributeValue& value, std::string_view field) {
  return integer_in_range(value, field, kMinQuantity, kMaxQuantity);
}

Validated<std::int64_t> page_size(std::string_view text, std::string_view name) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > kMaxPageSize) {
    return FieldError{"INVALID_QUERY_PARAMETER", std::string(name),
                      std::string(name) + " must be an integer between 1 and " +
                          std::to_string(kMaxPageSize)};
  }
  return v;
}

}  // namespace cartflow::domain
