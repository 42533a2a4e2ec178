// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "model/number.h"

namespace cartflow::model {
namespace {

Number n(std::string_view text) {
  auto r = Number::parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : Number();
}

std::string error_of(std::string_view text) {
  auto r = Number::parse(text);
  return r.ok() ? "<ok " + r->to_string() + ">" : r.error().message;
}

TEST(NumberParse, CanonicalText) {
  struct Case { const char* in; const char* out; };
  const Case cases[] = {
      {"0", "0"}, {"-0", "0"}, {"+0", "0"}, {"0.000", "0"}, {"-0.0e10", "0"}, {"00012", "12"},
      {"12.50", "12.5"}, {"+5", "5"}, {"-12.50", "-12.5"}, {"1e3", "1000"}, {"1.5E+3", "1500"},
      {"0.0001E-5", "0.000000001"}, {"1.", "1"}, {".5", "0.5"}, {"-.5", "-0.5"},
      {"100", "100"}, {"1000000000000000000000000000000000000000000000000",
                       "1000000000000000000000000000000000000000000000000"},
      {"123.456e-2", "1.23456"}, {"0.10", "0.1"}, {"-0.001", "-0.001"}, {"10e-1", "1"},
  };
  for (const auto& c : cases) EXPECT_EQ(n(c.in).to_string(), c.out) << c.in;
}

TEST(NumberParse, RangeEdges) {
  EXPECT_EQ(n("1E-130").to_string(), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(n("9.9999999999999999999999999999999999999E+125").to_string(),
            std::string(38, '9') + std::string(88, '0'));
  EXPECT_EQ(n("-9.9999999999999999999999999999999999999E+125").to_string(),
            "-" + std::string(38, '9') + std::string(88, '0'));
  EXPECT_EQ(n("12345678901234567890123456789012345678").to_string(),
            "12345678901234567890123456789012345678");
  // 38 significant digits with many non-significant zeros around them.
  EXPECT_TRUE(Number::parse("000.0012345678901234567890123456789012345678000").ok());
}

TEST(NumberParse, RejectsFortyDigits) {
  EXPECT_EQ(error_of("1234567890123456789012345678901234567890"),
            "Attempting to store more than 38 significant digits in a Number");
  EXPECT_EQ(error_of("1.23456789012345678901234567890123456789"),
            "Attempting to store more than 38 significant digits in a Number");
}

TEST(NumberParse, RejectsOutOfRange) {
  EXPECT_NE(error_of("1E126").find("Number overflow"), std::string::npos);
  EXPECT_NE(error_of("-1E126").find("Number overflow"), std::string::npos);
  EXPECT_NE(error_of("1e999999999999999").find("Number overflow"), std::string::npos);
  EXPECT_NE(error_of("1E-131").find("Number underflow"), std::string::npos);
  EXPECT_NE(error_of("0.9E-130").find("Number underflow"), std::string::npos);
  EXPECT_NE(error_of("1e-99999999999999").find("Number underflow"), std::string::npos);
}

TEST(NumberParse, RejectsMalformedText) {
  for (const char* bad : {"", "abc", "-", "+", ".", "1e", "1e+", "e5", "1.2.3", " 5", "5 ", "1+2",
                          "0x10", "--1", "+-1", "1,5", "NaN", "Infinity", "1_000", "1e5.5"}) {
    EXPECT_NE(error_of(bad).find("The parameter cannot be converted to a numeric value"),
              std::string::npos)
        << "'" << bad << "'";
  }
}

TEST(NumberCompare, NumericNotTextual) {
  EXPECT_EQ(n("1.0"), n("1"));
  EXPECT_EQ(n("-0"), n("0"));
  EXPECT_GT(n("10"), n("9"));
  EXPECT_LT(n("-1"), n("0.5"));
  EXPECT_LT(n("-10"), n("-9"));
  EXPECT_LT(n("0.09"), n("0.1"));
  EXPECT_LT(n("0.12"), n("0.123"));
  EXPECT_GT(n("-0.12"), n("-0.123"));
  EXPECT_LT(n("1E-130"), n("2E-130"));
  EXPECT_GT(n("1e125"), n("9.99e124"));
}

TEST(NumberConvert, IntegersAndDoubles) {
  EXPECT_EQ(Number::from_int(0).to_string(), "0");
  EXPECT_EQ(Number::from_int(-1200).to_string(), "-1200");
  EXPECT_EQ(*Number::from_int(INT64_MIN).to_int64(), INT64_MIN);
  EXPECT_EQ(*Number::from_int(INT64_MAX).to_int64(), INT64_MAX);
  EXPECT_FALSE(n("9223372036854775808").to_int64().ok());
  EXPECT_EQ(*n("-9223372036854775808").to_int64(), INT64_MIN);
  EXPECT_FALSE(n("1.5").to_int64().ok());
  EXPECT_FALSE(n("1.5").is_integer());
  EXPECT_TRUE(n("1.5e1").is_integer());
  EXPECT_EQ(*n("1.5e1").to_int64(), 15);
  EXPECT_DOUBLE_EQ(n("-12.5e-3").to_double(), -0.0125);
  EXPECT_DOUBLE_EQ(n("0").to_double(), 0.0);
}

TEST(NumberArithmetic, ExactDecimal) {
  EXPECT_EQ(n("0.1").plus(n("0.2"))->to_string(), "0.3");
  EXPECT_EQ(n("0.1").minus(n("-0.35"))->to_string(), "0.45");
  EXPECT_EQ(n("5").minus(n("5"))->to_string(), "0");
  EXPECT_EQ(n("-3").plus(n("1.25"))->to_string(), "-1.75");
  EXPECT_EQ(n("99.99").plus(n("0.01"))->to_string(), "100");
  EXPECT_EQ(n("1000").minus(n("0.001"))->to_string(), "999.999");
  EXPECT_EQ(n("0").minus(n("7"))->to_string(), "-7");
}

TEST(NumberArithmetic, FailsOutsideLimits) {
  auto big = n("9.9999999999999999999999999999999999999E+125");
  auto r = big.plus(n("1E+88"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Number overflow"), std::string::npos);
  auto digits = n("1E+20").plus(n("1E-20"));
  ASSERT_FALSE(digits.ok());
  EXPECT_NE(digits.error().message.find("38 significant digits"), std::string::npos);
  auto tiny = n("2E-130").minus(n("1.5E-130"));
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.error().message.find("underflow"), std::string::npos);
}

// Random decimals with small integer mantissas, so exact expectations come from int64 math.
struct Scaled {
  std::int64_t mantissa;
  int scale;  // value = mantissa * 10^-scale
};

Number to_number(const Scaled& s) {
  std::string text = std::to_string(s.mantissa) + "e" + std::to_string(-s.scale);
  return Number::parse(text).value();
}

TEST(NumberArithmetic, RandomSumsMatchIntegerMath) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::int64_t> m(-1'000'000'000, 1'000'000'000);
  std::uniform_int_distribution<int> sc(0, 6);
  for (int i = 0; i < 2000; ++i) {
    Scaled a{m(rng), sc(rng)}, b{m(rng), sc(rng)};
    int scale = std::max(a.scale, b.scale);
    auto up = [&](const Scaled& s) {
      std::int64_t v = s.mantissa;
      for (int k = s.scale; k < scale; ++k) v *= 10;
      return v;
    };
    Scaled sum{up(a) + up(b), scale}, diff{up(a) - up(b), scale};
    EXPECT_EQ(to_number(a).plus(to_number(b)).value(), to_number(sum));
    EXPECT_EQ(to_number(a).minus(to_number(b)).value(), to_number(diff));
  }
}

std::string random_number_text(std::mt19937& rng) {
  std::uniform_int_distribution<int> len(1, 38), digit(0, 9), exp(-129, 88), coin(0, 3);
  std::string digits;
  int l = len(rng);
  for (int i = 0; i < l; ++i) digits.push_back(static_cast<char>('0' + digit(rng)));
  if (coin(rng) == 0) return "0";
  std::string text = (coin(rng) == 0 ? "-" : "") + std::string("0.") + digits + "e" +
                     std::to_string(exp(rng));
  // Occasionally a value sharing a prefix with others.
  return text;
}

TEST(NumberSortableBytes, MemcmpOrderIsNumericOrder) {
  std::mt19937 rng(424242);
  std::vector<Number> values;
  for (const char* fixed : {"0", "1", "-1", "0.12", "0.123", "-0.12", "-0.123", "10", "9", "1E-130",
                            "-1E-130", "9.9999999999999999999999999999999999999E+125"}) {
    values.push_back(n(fixed));
  }
  for (int i = 0; i < 400; ++i) {
    auto r = Number::parse(random_number_text(rng));
    if (r.ok()) values.push_back(r.value());
  }
  int pairs = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = 0; j < values.size(); j += 7) {
      const std::string a = values[i].sortable_bytes(), b = values[j].sortable_bytes();
      auto numeric = values[i] <=> values[j];
      int bytes = a.compare(b);
      auto byte_order = bytes < 0 ? std::strong_ordering::less
                                  : (bytes > 0 ? std::strong_ordering::greater
                                               : std::strong_ordering::equal);
      ASSERT_EQ(numeric, byte_order) << values[i].to_string() << " vs " << values[j].to_string();
      ++pairs;
    }
  }
  EXPECT_GT(pairs, 10000);
  EXPECT_EQ(n("1.0").sortable_bytes(), n("1").sortable_bytes());
  EXPECT_EQ(n("-0").sortable_bytes(), n("0").sortable_bytes());
}

TEST(NumberSortableBytes, PrefixSafeInCompositeKeys) {
  // A key "number bytes + suffix" must still order by the number first.
  std::string a = n("0.12").sortable_bytes() + "\xff";
  std::string b = n("0.123").sortable_bytes();
  EXPECT_LT(a, b);
  std::string c = n("-0.123").sortable_bytes() + "\xff";
  std::string d = n("-0.12").sortable_bytes();
  EXPECT_LT(c, d);
}

TEST(NumberParse, TextRoundTrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    auto r = Number::parse(random_number_text(rng));
    if (!r.ok()) continue;
    auto again = Number::parse(r->to_string());
    ASSERT_TRUE(again.ok()) << r->to_string();
    EXPECT_EQ(*again, *r);
    EXPECT_EQ(again->to_string(), r->to_string());
  }
}

}  // namespace
}  // namespace cartflow::model
