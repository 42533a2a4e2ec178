// SPDX-License-Identifier: Apache-2.0
#include "util/hex.h"

#include <gtest/gtest.h>

#include <string>

namespace cartflow::util {
namespace {

TEST(Hex, EncodesEveryByteLowercaseHighNibbleFirst) {
  EXPECT_EQ(hex_encode(std::string_view("")), "");
  EXPECT_EQ(hex_encode(std::string("\x00\x01\x7f\x80\xab\xff", 6)), "00017f80abff");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  const std::string hex = hex_encode(all);
  ASSERT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 6), "000102");
  EXPECT_EQ(hex.substr(510), "ff");
}

TEST(Hex, DecodesEitherCaseBackToTheBytes) {
  EXPECT_EQ(hex_decode("00017F80abFF"), std::string("\x00\x01\x7f\x80\xab\xff", 6));
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(hex_decode(hex_encode(all)), all);
  EXPECT_EQ(hex_decode(""), std::string());
}

TEST(Hex, RefusesOddLengthsAndNonHexCharacters) {
  EXPECT_EQ(hex_decode("abc"), std::nullopt);
  EXPECT_EQ(hex_decode("0g"), std::nullopt);
  EXPECT_EQ(hex_decode("-1"), std::nullopt);
  EXPECT_EQ(hex_decode(std::string("0\0", 2)), std::nullopt);
}

TEST(Hex, DigitValues) {
  EXPECT_EQ(hex_digit('0'), 0);
  EXPECT_EQ(hex_digit('9'), 9);
  EXPECT_EQ(hex_digit('a'), 10);
  EXPECT_EQ(hex_digit('F'), 15);
  EXPECT_EQ(hex_digit('g'), -1);
  EXPECT_EQ(hex_digit('/'), -1);
  EXPECT_EQ(hex_digit(':'), -1);
  EXPECT_EQ(hex_digit('\xff'), -1);
}

}  // namespace
}  // namespace cartflow::util
