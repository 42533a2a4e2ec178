// SPDX-License-Identifier: Apache-2.0
#include "model/number.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>

namespace cartflow::model {
namespace {

constexpr std::size_t kMaxDigits = 38;
// value = 0.d1d2... * 10^exponent: 1E-130 is 0.1E-129, 9.99...E+125 is 0.999...E126.
constexpr std::int64_t kMinExponent = -129;
constexpr std::int64_t kMaxExponent = 126;

Error not_numeric(std::string_view text) {
  std::string shown(text.substr(0, 64));
  return Error::invalid("The parameter cannot be converted to a numeric value: " + shown);
}
Error too_many_digits() {
  return Error::invalid("Attempting to store more than 38 significant digits in a Number");
}
Error overflow() {
  return Error::invalid(
      "Number overflow. Attempting to store a number with magnitude larger than supported range");
}
Error underflow() {
  return Error::invalid(
      "Number underflow. Attempting to store a number with magnitude smaller than supported "
      "range");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Strips leading zeros of an integer digit string whose last digit has weight 10^low, and
// trailing zeros; returns (digits, exponent) in the 0.digits * 10^exponent form.
void normalize(std::string& digits, std::int64_t low, std::int64_t& exponent) {
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    digits.clear();
    exponent = 0;
    return;
  }
  digits.erase(0, first);
  exponent = low + static_cast<std::int64_t>(digits.size());
  std::size_t last = digits.find_last_not_of('0');
  digits.erase(last + 1);
}

Status check_range(const std::string& digits, std::int64_t exponent) {
  if (digits.empty()) return {};
  if (digits.size() > kMaxDigits) return too_many_digits();
  if (exponent > kMaxExponent) return overflow();
  if (exponent < kMinExponent) return underflow();
  return {};
}

// Magnitude of `digits` scaled to have its last digit at weight 10^low (low <= its own low).
std::string scaled(const std::string& digits, std::int64_t exponent, std::int64_t low) {
  std::int64_t own_low = exponent - static_cast<std::int64_t>(digits.size());
  std::string out = digits;
  out.append(static_cast<std::size_t>(own_low - low), '0');
  return out;
}

// Compares two non-negative integer digit strings that have no leading zeros.
int compare_magnitude(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string add_digits(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(std::max(a.size(), b.size()) + 1);
  int carry = 0;
  auto ia = a.rbegin();
  auto ib = b.rbegin();
  while (ia != a.rend() || ib != b.rend() || carry) {
    int s = carry;
    if (ia != a.rend()) s += *ia++ - '0';
    if (ib != b.rend()) s += *ib++ - '0';
    out.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// a - b for a >= b (same length after padding is not required).
std::string sub_digits(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(a.size());
  int borrow = 0;
  auto ib = b.rbegin();
  for (auto ia = a.rbegin(); ia != a.rend(); ++ia) {
    int d = (*ia - '0') - borrow;
    if (ib != b.rend()) d -= *ib++ - '0';
    borrow = d < 0 ? 1 : 0;
    if (d < 0) d += 10;
    out.push_back(static_cast<char>('0' + d));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string strip_leading_zeros(std::string s) {
  std::size_t first = s.find_first_not_of('0');
  s.erase(0, first == std::string::npos ? s.size() : first);
  return s;
}

}  // namespace

Result<Number> Number::parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  std::int64_t int_digits = 0;
  bool any_digit = false;
  while (i < text.size() && is_digit(text[i])) {
    if (!(digits.empty() && text[i] == '0')) {
      digits.push_back(text[i]);
      ++int_digits;
    }
    any_digit = true;
    ++i;
  }
  std::int64_t leading_frac_zeros = 0;  // fraction zeros before the first significant digit
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      if (digits.empty() && text[i] == '0') {
        ++leading_frac_zeros;
      } else {
        digits.push_back(text[i]);
      }
      any_digit = true;
      ++i;
    }
  }
  if (!any_digit) return not_numeric(text);
  std::int64_t exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    if (i >= text.size() || !is_digit(text[i])) return not_numeric(text);
    while (i < text.size() && is_digit(text[i])) {
      // Saturate: anything this large is out of range whatever the mantissa.
      if (exp < 1'000'000'000) exp = exp * 10 + (text[i] - '0');
      ++i;
    }
    if (exp_negative) exp = -exp;
  }
  if (i != text.size()) return not_numeric(text);

  // Trailing zeros are not significant.
  std::size_t last = digits.find_last_not_of('0');
  digits.erase(last == std::string::npos ? 0 : last + 1);
  Number n;
  if (digits.empty()) return n;  // any zero, including "-0" and "0.000e5"
  std::int64_t exponent = int_digits - leading_frac_zeros + exp;
  if (Status s = check_range(digits, exponent); !s) return Error(s.error());
  n.negative_ = negative;
  n.digits_ = std::move(digits);
  n.exponent_ = static_cast<std::int32_t>(exponent);
  return n;
}

Number Number::from_int(std::int64_t value) {
  Number n;
  if (value == 0) return n;
  n.negative_ = value < 0;
  std::uint64_t magnitude = n.negative_ ? ~static_cast<std::uint64_t>(value) + 1
                                        : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::int64_t exponent = 0;
  normalize(digits, 0, exponent);
  n.digits_ = std::move(digits);
  n.exponent_ = static_cast<std::int32_t>(exponent);
  return n;
}

std::string Number::to_string() const {
  if (digits_.empty()) return "0";
  std::string out;
  if (negative_) out.push_back('-');
  auto len = static_cast<std::int64_t>(digits_.size());
  if (exponent_ <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent_), '0');
    out += digits_;
  } else if (exponent_ >= len) {
    out += digits_;
    out.append(static_cast<std::size_t>(exponent_ - len), '0');
  } else {
    out.append(digits_, 0, static_cast<std::size_t>(exponent_));
    out.push_back('.');
    out.append(digits_, static_cast<std::size_t>(exponent_), std::string::npos);
  }
  return out;
}

bool Number::is_integer() const {
  return digits_.empty() || exponent_ >= static_cast<std::int32_t>(digits_.size());
}

Result<std::int64_t> Number::to_int64() const {
  if (!is_integer()) return Error::invalid("Number " + to_string() + " is not an integer");
  if (digits_.empty()) return std::int64_t{0};
  if (exponent_ > 19) return Error::invalid("Number " + to_string() + " does not fit in 64 bits");
  // Accumulate the magnitude in unsigned arithmetic with overflow checks.
  const std::uint64_t limit = negative_ ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
  std::uint64_t m = 0;
  for (std::int32_t k = 0; k < exponent_; ++k) {
    unsigned d = k < static_cast<std::int32_t>(digits_.size())
                     ? static_cast<unsigned>(digits_[static_cast<std::size_t>(k)] - '0')
                     : 0u;
    if (m > (limit - d) / 10) {
      return Error::invalid("Number " + to_string() + " does not fit in 64 bits");
    }
    m = m * 10 + d;
  }
  if (negative_) return static_cast<std::int64_t>(~m + 1);
  return static_cast<std::int64_t>(m);
}

double Number::to_double() const {
  if (digits_.empty()) return 0.0;
  std::string text = digits_ + "e" +
      std::to_string(static_cast<std::int64_t>(exponent_) -
                     static_cast<std::int64_t>(digits_.size()));
  double d = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return negative_ ? -d : d;
}

Result<Number> Number::plus(const Number& other) const {
  if (other.digits_.empty()) return *this;
  if (digits_.empty()) return other;
  std::int64_t low_a = exponent_ - static_cast<std::int64_t>(digits_.size());
  std::int64_t low_b = other.exponent_ - static_cast<std::int64_t>(other.digits_.size());
  std::int64_t low = std::min(low_a, low_b);
  std::string a = scaled(digits_, exponent_, low);
  std::string b = scaled(other.digits_, other.exponent_, low);
  Number r;
  std::string sum;
  if (negative_ == other.negative_) {
    sum = add_digits(a, b);
    r.negative_ = negative_;
  } else {
    int c = compare_magnitude(a, b);
    if (c == 0) return Number();
    sum = c > 0 ? sub_digits(a, b) : sub_digits(b, a);
    r.negative_ = c > 0 ? negative_ : other.negative_;
    sum = strip_leading_zeros(std::move(sum));
  }
  std::int64_t exponent = 0;
  normalize(sum, low, exponent);
  if (sum.empty()) return Number();
  if (Status s = check_range(sum, exponent); !s) return Error(s.error());
  r.digits_ = std::move(sum);
  r.exponent_ = static_cast<std::int32_t>(exponent);
  return r;
}

Result<Number> Number::minus(const Number& other) const {
  Number negated = other;
  if (!negated.digits_.empty()) negated.negative_ = !negated.negative_;
  return plus(negated);
}

std::string Number::sortable_bytes() const {
  // Sign class byte, then for positives: exponent byte (e + 129 fits 0..255), digits, 0x00
  // terminator; negatives: every byte after the sign complemented (so larger magnitudes sort
  // first) with a 0xFF terminator. The terminator makes a shorter digit string sort correctly
  // against a longer one sharing its prefix, even when more bytes follow in a composite key.
  std::string out;
  if (digits_.empty()) {
    out.push_back('\x02');
    return out;
  }
  out.reserve(digits_.size() + 3);
  auto exp_byte = static_cast<unsigned char>(exponent_ - kMinExponent);
  if (!negative_) {
    out.push_back('\x03');
    out.push_back(static_cast<char>(exp_byte));
    out += digits_;
    out.push_back('\x00');
  } else {
    out.push_back('\x01');
    out.push_back(static_cast<char>(0xFF - exp_byte));
    for (char c : digits_) out.push_back(static_cast<char>(0xFF - static_cast<unsigned char>(c)));
    out.push_back(static_cast<char>(0xFF));
  }
  return out;
}

std::strong_ordering Number::operator<=>(const Number& other) const {
  auto sign = [](const Number& n) { return n.digits_.empty() ? 0 : (n.negative_ ? -1 : 1); };
  int sa = sign(*this);
  int sb = sign(other);
  if (sa != sb) return sa <=> sb;
  if (sa == 0) return std::strong_ordering::equal;
  std::strong_ordering magnitude = exponent_ <=> other.exponent_;
  if (magnitude == 0) {
    int c = digits_.compare(other.digits_);
    magnitude = c <=> 0;
  }
  if (sa < 0) return 0 <=> magnitude;
  return magnitude;
}

}  // namespace cartflow::model
