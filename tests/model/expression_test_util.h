// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared helpers for the expression tests: literal builders and a fixed sample item.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "model/expression.h"

namespace cartflow::model::testing {

// A number from text; the text must be valid (asserted).
inline AttributeValue num(std::string_view text) {
  auto n = Number::parse(text);
  EXPECT_TRUE(n.ok()) << text;
  return n.ok() ? AttributeValue(*n) : AttributeValue();
}
inline Number number(std::string_view text) {
  auto n = Number::parse(text);
  EXPECT_TRUE(n.ok()) << text;
  return n.ok() ? *n : Number();
}
inline AttributeValue bin(std::string data) { return AttributeValue(Bytes{std::move(data)}); }
inline AttributeValue ss(std::initializer_list<std::string> v) {
  return AttributeValue(StringSet{std::set<std::string>(v)});
}
inline AttributeValue ns(std::initializer_list<std::string_view> v) {
  NumberSet s;
  for (auto t : v) s.values.insert(number(t));
  return AttributeValue(std::move(s));
}
inline AttributeValue bs(std::initializer_list<std::string> v) {
  BinarySet s;
  for (const auto& t : v) s.values.insert(Bytes{t});
  return AttributeValue(std::move(s));
}

// A short readable form of a value for failure messages (not DynamoDB JSON).
std::string debug_string(const AttributeValue& v);
std::string debug_string(const Item& item);

}  // namespace cartflow::model::testing
