// SPDX-License-Identifier: Apache-2.0
#pragma once

// Money: integer minor units (cents), as the reference stores `price`. Arithmetic is checked:
// an overflow is a value, never undefined behaviour. Pure, thread-safe.

#include <cstdint>
#include <optional>

namespace cartflow::domain {

// Largest amount we accept anywhere (DynamoDB numbers hold more, JSON clients often do not:
// 2^53 - 1 keeps totals exact in JavaScript clients).
inline constexpr std::int64_t kMaxMoney = 9'007'199'254'740'991;

// price * quantity; std::nullopt when either is negative or the product exceeds kMaxMoney.
inline std::optional<std::int64_t> line_total(std::int64_t unit_price, std::int64_t quantity) {
  std::int64_t out = 0;
  if (unit_price < 0 || quantity < 0 || __builtin_mul_overflow(unit_price, quantity, &out) ||
      out > kMaxMoney) {
    return std::nullopt;
  }
  return out;
}

// a + b; std::nullopt when the sum exceeds kMaxMoney (both must be non-negative).
inline std::optional<std::int64_t> add_money(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (a < 0 || b < 0 || __builtin_add_overflow(a, b, &out) || out > kMaxMoney) {
    return std::nullopt;
  }
  return out;
}

}  // namespace cartflow::domain
