// SPDX-License-Identifier: Apache-2.0
#pragma once

// Number: a DynamoDB number (type N). Exact decimal, up to 38 significant digits, magnitude
// between 1E-130 and 9.9999999999999999999999999999999999999E+125, or zero. Compared
// numerically, never as text ("1.0" == "1", "10" > "9").

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.h"

namespace cartflow::model {

class Number {
 public:
  Number() = default;  // zero

  // Parses DynamoDB's number text: optional sign, digits with an optional fraction, optional
  // exponent ("-12.50", "1e3", "0.0001E-5"). Leading and trailing zeros are not significant.
  // A leading '+' is accepted and dropped, as DynamoDB does; whitespace is not accepted.
  // Fails with kInvalidArgument on malformed text, more than 38 significant digits, or a
  // magnitude outside DynamoDB's range (the messages match DynamoDB's ValidationException).
  static Result<Number> parse(std::string_view text);
  static Number from_int(std::int64_t value);

  // Canonical text as DynamoDB returns it: no exponent, no trailing fraction zeros, "-" sign
  // only for negatives ("12.5", "100", "-0.001", "0").
  std::string to_string() const;

  // The value as an integer if it is one and fits; fails otherwise.
  Result<std::int64_t> to_int64() const;
  // Nearest double (for display and metrics only, never for arithmetic on stored values).
  double to_double() const;
  bool is_integer() const;

  // Exact sum/difference; fails with kInvalidArgument if the result leaves DynamoDB's range or
  // needs more than 38 significant digits (as DynamoDB's ADD and SET a + b do).
  Result<Number> plus(const Number& other) const;
  Result<Number> minus(const Number& other) const;

  // Bytes whose lexicographic (memcmp) order is the numeric order of the values, for sort keys
  // in storage engines. Equal numbers give equal bytes.
  std::string sortable_bytes() const;

  std::strong_ordering operator<=>(const Number& other) const;
  bool operator==(const Number& other) const { return (*this <=> other) == 0; }

 private:
  // value = (negative_ ? -1 : 1) * 0.digits_ * 10^exponent_; digits_ has no leading or trailing
  // zeros; zero is digits_ empty.
  bool negative_ = false;
  std::string digits_;
  std::int32_t exponent_ = 0;
};

}  // namespace cartflow::model
