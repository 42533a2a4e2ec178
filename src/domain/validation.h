// SPDX-License-Identifier: Apache-2.0
#pragma once

// Input rules of the API, independent of HTTP: identifiers, quantities, limits. A violation is
// a FieldError naming the offending field (a JSON path such as "order_items[2].quantity") and a
// stable code; the API turns it into a 400/422 response. Pure functions, thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "model/attribute_value.h"

namespace cartflow::domain {

// Identifiers (user ids, product ids, order ids): [A-Za-z0-9_-]{1,64}.
inline constexpr std::size_t kMaxIdLength = 64;
// A cart line's quantity.
inline constexpr std::int64_t kMinQuantity = 1;
inline constexpr std::int64_t kMaxQuantity = 1000;
// Lines of one order: the order, its lines, one claim per cart item and the idempotency record
// must fit in one transaction of at most 100 actions (2 * 45 + 2 = 92).
inline constexpr std::size_t kMaxOrderLines = 45;
// Largest request body accepted (API Gateway's payload limit is 10 MB, Lambda's 6 MB).
inline constexpr std::size_t kMaxBodyBytes = 6 * 1024 * 1024;
// Idempotency keys: 1..255 printable ASCII characters (no spaces).
inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;
// Page sizes of list routes.
inline constexpr std::int64_t kDefaultPageSize = 20;
inline constexpr std::int64_t kMaxPageSize = 100;

struct FieldError {
  std::string code;     // e.g. "MISSING_FIELD", "INVALID_FIELD"
  std::string field;    // JSON path of the offending field; empty for the whole body
  std::string message;  // human readable, names the field
  bool operator==(const FieldError&) const = default;
};

// A value or the first rule it breaks.
template <typename T>
using Validated = std::variant<T, FieldError>;

template <typename T>
bool is_valid(const Validated<T>& v) {
  return v.index() == 0;
}

bool is_valid_id(std::string_view id);
bool is_valid_idempotency_key(std::string_view key);

// The string at `field` of `body`, checked to be an identifier. Fails with MISSING_FIELD when
// absent (or null), INVALID_FIELD for another type or a malformed id.
Validated<std::string> required_id(const model::Item& body, std::string_view field);
// An identifier taken from the path (`name` is the path parameter's name).
Validated<std::string> path_id(std::string_view value, std::string_view name);
// The integer at `value`, checked to be within [low, high]. `field` names it in errors.
Validated<std::int64_t> integer_in_range(const model::AttributeValue& value,
                                         std::string_view field, std::int64_t low,
                                         std::int64_t high);
// A quantity (integer 1..1000).
Validated<std::int64_t> quantity(const model::AttributeValue& value, std::string_view field);
// Parses a decimal page size from a query string ("1".."100"); INVALID_QUERY_PARAMETER else.
Validated<std::int64_t> page_size(std::string_view text, std::string_view name);

}  // namespace cartflow::domain
