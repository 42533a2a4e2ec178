// SPDX-License-Identifier: Apache-2.0
// Validation of filter patterns: what Lambda rejects at CreateEventSourceMapping.
#include <gtest/gtest.h>

#include <string>

#include "events/filter_pattern.h"

namespace cartflow::events {
namespace {

struct Invalid {
  const char* name;
  const char* pattern;
  const char* message_part;
};

const Invalid kInvalid[] = {
    {"not_json", R"({"a":)", "not JSON"},
    {"not_object", R"(["a"])", "must be an object"},
    {"empty_object", R"({})", "empty objects"},
    {"nested_empty_object", R"({"a":{}})", "empty objects"},
    {"bare_scalar", R"({"a":"b"})", "must be in an array"},
    {"empty_array", R"({"a":[]})", "empty arrays"},
    {"nested_array", R"({"a":[["b"]]})", "nested arrays"},
    {"unknown_operator", R"({"a":[{"wildcard":"b*"}]})", "unsupported operator"},
    {"two_keys_operator", R"({"a":[{"prefix":"x","suffix":"y"}]})", "exactly one key"},
    {"prefix_not_string", R"({"a":[{"prefix":1}]})", "needs a string"},
    {"exists_not_bool", R"({"a":[{"exists":"yes"}]})", "true or false"},
    {"numeric_bad_op", R"({"a":[{"numeric":["!=",1]}]})", "unknown \"numeric\" operator"},
    {"numeric_odd_length", R"({"a":[{"numeric":[">",1,"<"]}]})", "[op, number]"},
    {"numeric_string_operand", R"({"a":[{"numeric":[">","1"]}]})", "must be a number"},
    {"numeric_two_lower", R"({"a":[{"numeric":[">",1,">=",2]}]})", "two lower bounds"},
    {"numeric_equals_combined", R"({"a":[{"numeric":["=",1,"<",2]}]})", "cannot be combined"},
    {"numeric_empty_range", R"({"a":[{"numeric":[">",5,"<",1]}]})", "range is empty"},
    {"anything_but_empty", R"({"a":[{"anything-but":[]}]})", "must not be empty"},
    {"anything_but_mixed", R"({"a":[{"anything-but":["x",1]}]})", "all strings or all numbers"},
    {"anything_but_bool", R"({"a":[{"anything-but":true}]})", "strings or numbers"},
    {"anything_but_unknown", R"({"a":[{"anything-but":{"numeric":[">",1]}}]})",
     "unsupported \"anything-but\""},
    {"or_single", R"({"$or":[{"a":["1"]}]})", "at least two"},
    {"or_not_array", R"({"$or":{"a":["1"]}})", "at least two"},
    {"or_scalar_alt", R"({"$or":[{"a":["1"]},"b"]})", "must be an object"},
    {"duplicate_key", R"({"a":["1"],"a":["2"]})", "duplicate key"},
};

class FilterInvalid : public ::testing::TestWithParam<Invalid> {};

TEST_P(FilterInvalid, IsRejectedWithAReason) {
  const Invalid& c = GetParam();
  auto p = FilterPattern::parse(c.pattern);
  ASSERT_FALSE(p.ok()) << c.pattern;
  EXPECT_EQ(p.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message.find(c.message_part), std::string::npos) << p.error().message;
}

INSTANTIATE_TEST_SUITE_P(Syntax, FilterInvalid, ::testing::ValuesIn(kInvalid),
                         [](const ::testing::TestParamInfo<Invalid>& info) {
                           return std::string(info.param.name);
                         });

TEST(FilterPatternParse, NamesThePathOfTheProblem) {
  auto p = FilterPattern::parse(R"({"dynamodb":{"NewImage":{"s":{"S":"x"}}}})");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("dynamodb.NewImage.s.S"), std::string::npos)
      << p.error().message;
}

TEST(FilterPatternParse, RejectsPatternsLongerThan4096) {
  std::string long_value(4100, 'x');
  auto p = FilterPattern::parse(R"({"a":[")" + long_value + R"("]})");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("4096"), std::string::npos);
}

TEST(FilterPatternParse, RejectsDeepNesting) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += R"({"a":)";
  deep += R"(["x"])";
  for (int i = 0; i < 40; ++i) deep += "}";
  auto p = FilterPattern::parse(deep);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("too deep"), std::string::npos);
}

TEST(FilterPatternParse, KeepsTheText) {
  auto p = FilterPattern::parse(R"({"a":["b"]})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->text(), R"({"a":["b"]})");
}

}  // namespace
}  // namespace cartflow::events
