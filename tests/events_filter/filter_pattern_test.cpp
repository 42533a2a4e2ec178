// SPDX-License-Identifier: Apache-2.0
// Matching table for Lambda filter patterns: every operator, matching and not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/filter_pattern.h"

namespace cartflow::events {
namespace {

struct Case {
  const char* name;
  const char* pattern;
  const char* record;
  bool expected;
};

// The record of a DynamoDB stream insert as Lambda filters it.
constexpr const char* kOrder =
    R"({"eventName":"INSERT","eventSource":"aws:dynamodb","awsRegion":"us-east-1",)"
    R"("dynamodb":{"Keys":{"PK":{"S":"ORDER#1"}},"NewImage":{"PK":{"S":"ORDER#1"},)"
    R"("order_status":{"S":"ORDERED"},"total":{"N":"12.50"}}}})";

const Case kCases[] = {
    // exact strings
    {"exact_string", R"({"eventName":["INSERT"]})", kOrder, true},
    {"exact_string_miss", R"({"eventName":["MODIFY"]})", kOrder, false},
    {"exact_or_list", R"({"eventName":["MODIFY","INSERT"]})", kOrder, true},
    {"exact_is_case_sensitive", R"({"eventName":["insert"]})", kOrder, false},
    {"nested_dynamodb_string", R"({"dynamodb":{"NewImage":{"order_status":{"S":["ORDERED"]}}}})",
     kOrder, true},
    {"nested_dynamodb_string_miss",
     R"({"dynamodb":{"NewImage":{"order_status":{"S":["CANCELLED"]}}}})", kOrder, false},
    {"and_of_fields",
     R"({"eventName":["INSERT"],"dynamodb":{"NewImage":{"order_status":{"S":["ORDERED"]}}}})",
     kOrder, true},
    {"and_of_fields_one_fails",
     R"({"eventName":["REMOVE"],"dynamodb":{"NewImage":{"order_status":{"S":["ORDERED"]}}}})",
     kOrder, false},
    {"missing_field_exact", R"({"nope":["x"]})", kOrder, false},
    {"dynamodb_number_is_string", R"({"dynamodb":{"NewImage":{"total":{"N":["12.50"]}}}})",
     kOrder, true},
    {"empty_string", R"({"a":[""]})", R"({"a":""})", true},
    {"empty_string_miss", R"({"a":[""]})", R"({"a":"x"})", false},
    // numbers, booleans, null
    {"exact_number", R"({"n":[100]})", R"({"n":100})", true},
    {"exact_number_other_form", R"({"n":[100]})", R"({"n":100.0})", true},
    {"exact_number_miss", R"({"n":[100]})", R"({"n":101})", false},
    {"number_does_not_match_string", R"({"n":[100]})", R"({"n":"100"})", false},
    {"string_does_not_match_number", R"({"n":["100"]})", R"({"n":100})", false},
    {"bool_true", R"({"b":[true]})", R"({"b":true})", true},
    {"bool_true_miss", R"({"b":[true]})", R"({"b":false})", false},
    {"null_matches_null", R"({"u":[null]})", R"({"u":null})", true},
    {"null_does_not_match_missing", R"({"u":[null]})", R"({"v":1})", false},
    {"null_does_not_match_string", R"({"u":[null]})", R"({"u":"null"})", false},
    // prefix / suffix / equals-ignore-case
    {"prefix", R"({"r":[{"prefix":"us-"}]})", R"({"r":"us-east-1"})", true},
    {"prefix_miss", R"({"r":[{"prefix":"us-"}]})", R"({"r":"eu-west-1"})", false},
    {"prefix_not_on_number", R"({"r":[{"prefix":"1"}]})", R"({"r":12})", false},
    {"suffix", R"({"f":[{"suffix":".png"}]})", R"({"f":"cat.png"})", true},
    {"suffix_miss", R"({"f":[{"suffix":".png"}]})", R"({"f":"cat.jpg"})", false},
    {"suffix_longer_than_value", R"({"f":[{"suffix":"long.png"}]})", R"({"f":".png"})", false},
    {"equals_ignore_case", R"({"n":[{"equals-ignore-case":"alice"}]})", R"({"n":"ALiCe"})",
     true},
    {"equals_ignore_case_miss", R"({"n":[{"equals-ignore-case":"alice"}]})", R"({"n":"alicia"})",
     false},
    // anything-but
    {"anything_but_value", R"({"w":[{"anything-but":"Raining"}]})", R"({"w":"Sunny"})", true},
    {"anything_but_value_miss", R"({"w":[{"anything-but":"Raining"}]})", R"({"w":"Raining"})",
     false},
    {"anything_but_list", R"({"w":[{"anything-but":["Rain","Snow"]}]})", R"({"w":"Snow"})",
     false},
    {"anything_but_list_other", R"({"w":[{"anything-but":["Rain","Snow"]}]})", R"({"w":"Sun"})",
     true},
    {"anything_but_numbers", R"({"n":[{"anything-but":[100,200]}]})", R"({"n":200})", false},
    {"anything_but_numbers_other", R"({"n":[{"anything-but":[100,200]}]})", R"({"n":300})",
     true},
    {"anything_but_missing_field", R"({"w":[{"anything-but":"Rain"}]})", R"({"x":"Sun"})",
     false},
    {"anything_but_prefix", R"({"s":[{"anything-but":{"prefix":"init"}}]})", R"({"s":"ready"})",
     true},
    {"anything_but_prefix_miss", R"({"s":[{"anything-but":{"prefix":"init"}}]})",
     R"({"s":"initializing"})", false},
    {"anything_but_suffix", R"({"s":[{"anything-but":{"suffix":".tmp"}}]})", R"({"s":"a.tmp"})",
     false},
    {"anything_but_ignore_case", R"({"s":[{"anything-but":{"equals-ignore-case":"x"}}]})",
     R"({"s":"X"})", false},
    // numeric
    {"numeric_equals", R"({"p":[{"numeric":["=",100]}]})", R"({"p":100})", true},
    {"numeric_equals_miss", R"({"p":[{"numeric":["=",100]}]})", R"({"p":100.5})", false},
    {"numeric_range_inside", R"({"p":[{"numeric":[">",0,"<=",5]}]})", R"({"p":5})", true},
    {"numeric_range_open_lower", R"({"p":[{"numeric":[">",0,"<=",5]}]})", R"({"p":0})", false},
    {"numeric_range_above", R"({"p":[{"numeric":[">",0,"<=",5]}]})", R"({"p":5.01})", false},
    {"numeric_ge", R"({"p":[{"numeric":[">=",10]}]})", R"({"p":10})", true},
    {"numeric_lt", R"({"p":[{"numeric":["<",10]}]})", R"({"p":10})", false},
    {"numeric_negative", R"({"p":[{"numeric":["<",0]}]})", R"({"p":-3.5})", true},
    {"numeric_not_on_string", R"({"p":[{"numeric":[">",0]}]})", R"({"p":"5"})", false},
    // exists
    {"exists_true", R"({"p":[{"exists":true}]})", R"({"p":"x"})", true},
    {"exists_true_missing", R"({"p":[{"exists":true}]})", R"({"q":"x"})", false},
    {"exists_true_null_is_a_value", R"({"p":[{"exists":true}]})", R"({"p":null})", true},
    {"exists_true_not_on_object", R"({"p":[{"exists":true}]})", R"({"p":{"a":1}})", false},
    {"exists_false_missing", R"({"p":[{"exists":false}]})", R"({"q":"x"})", true},
    {"exists_false_present", R"({"p":[{"exists":false}]})", R"({"p":"x"})", false},
    {"exists_false_missing_parent", R"({"a":{"b":[{"exists":false}]}})", R"({"q":1})", true},
    {"exists_in_dynamodb_image",
     R"({"dynamodb":{"NewImage":{"order_status":{"S":[{"exists":true}]}}}})", kOrder, true},
    // record arrays: any element
    {"array_any_element", R"({"tags":["b"]})", R"({"tags":["a","b","c"]})", true},
    {"array_no_element", R"({"tags":["z"]})", R"({"tags":["a","b"]})", false},
    {"array_of_objects", R"({"items":{"sku":["X"]}})", R"({"items":[{"sku":"Y"},{"sku":"X"}]})",
     true},
    {"empty_array_is_absent", R"({"tags":[{"exists":false}]})", R"({"tags":[]})", true},
    // mixed operators in one leaf are ORed
    {"or_of_operators", R"({"r":[{"prefix":"eu-"},"us-east-1"]})", R"({"r":"us-east-1"})", true},
    {"or_of_operators_miss", R"({"r":[{"prefix":"eu-"},"us-east-1"]})", R"({"r":"ap-1"})", false},
    // $or
    {"or_first", R"({"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"a":"1"})", true},
    {"or_second", R"({"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"b":"2"})", true},
    {"or_none", R"({"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"a":"2","b":"1"})", false},
    {"or_and_sibling", R"({"c":["3"],"$or":[{"a":["1"]},{"b":["2"]}]})", R"({"a":"1","c":"4"})",
     false},
    {"or_nested", R"({"d":{"$or":[{"a":[{"numeric":[">",5]}]},{"b":[{"exists":true}]}]}})",
     R"({"d":{"a":3,"b":false}})", true},
    // nested object pattern against a scalar record value
    {"nested_pattern_scalar_value", R"({"a":{"b":["x"]}})", R"({"a":"x"})", false},
};

class FilterTable : public ::testing::TestWithParam<Case> {};

TEST_P(FilterTable, MatchesAsLambdaDoes) {
  const Case& c = GetParam();
  auto p = FilterPattern::parse(c.pattern);
  ASSERT_TRUE(p.ok()) << c.pattern << ": " << p.error().message;
  auto m = p->matches(c.record);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(*m, c.expected) << "pattern " << c.pattern << "\nrecord " << c.record;
}

INSTANTIATE_TEST_SUITE_P(Operators, FilterTable, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(FilterTable, HasAtLeastFortyCases) {
  EXPECT_GE(sizeof(kCases) / sizeof(kCases[0]), 40u);
}

TEST(FilterCriteria, AnyPatternMatches) {
  auto c = FilterCriteria::parse({R"({"eventName":["REMOVE"]})",
                                  R"({"dynamodb":{"NewImage":{"order_status":{"S":["ORDERED"]}}}})"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(*c->matches(kOrder));
  EXPECT_FALSE(*c->matches(R"({"eventName":"MODIFY"})"));
}

TEST(FilterCriteria, EmptyCriteriaLetsEverythingPass) {
  FilterCriteria c;
  EXPECT_TRUE(c.empty());
  EXPECT_TRUE(*c.matches(kOrder));
}

TEST(FilterCriteria, RejectsMoreThanFiveFilters) {
  std::vector<std::string> six(6, R"({"a":["b"]})");
  auto c = FilterCriteria::parse(six);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("at most 5"), std::string::npos);
  six.pop_back();
  EXPECT_TRUE(FilterCriteria::parse(six).ok());
}

TEST(FilterCriteria, NamesTheBadFilter) {
  auto c = FilterCriteria::parse({R"({"a":["b"]})", R"({"a":"b"})"});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("filter 1"), std::string::npos) << c.error().message;
}

TEST(FilterCriteria, RejectsRecordsThatAreNotObjects) {
  FilterCriteria c;
  EXPECT_FALSE(c.matches("[1,2]").ok());
  EXPECT_FALSE(c.matches("{\"a\":").ok());
}

}  // namespace
}  // namespace cartflow::events

namespace cartflow::events {
namespace {

TEST(FilterCriteria, MatchRecordsFiltersEachRecordOfAnEvent) {
  auto c = FilterCriteria::parse({R"({"dynamodb":{"NewImage":{"s":{"S":["ORDERED"]}}}})"});
  ASSERT_TRUE(c.ok());
  auto bits = c->match_records(
      R"({"Records":[{"dynamodb":{"NewImage":{"s":{"S":"ORDERED"}}}},)"
      R"({"dynamodb":{"NewImage":{"s":{"S":"PENDING"}}}},7,)"
      R"({"dynamodb":{"NewImage":{"s":{"S":"ORDERED"}}}}]})");
  ASSERT_TRUE(bits.ok()) << bits.error().message;
  EXPECT_EQ(*bits, (std::vector<bool>{true, false, false, true}));
  EXPECT_FALSE(c->match_records(R"({"records":[]})").ok());
}

}  // namespace
}  // namespace cartflow::events
