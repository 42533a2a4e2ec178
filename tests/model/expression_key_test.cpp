// SPDX-License-Identifier: Apache-2.0
// Key conditions, DynamoDB key ordering, and projections.

#include <algorithm>
#include <string>
#include <vector>

#include "expression_test_util.h"
#include "model/expression.h"

namespace cartflow::model {
namespace {

using testing::bin;
using testing::debug_string;
using testing::num;
using Op = KeyCondition::RangeOp;

struct OrderRow {
  AttributeValue a;
  AttributeValue b;
  int expected;  // -1, 0, 1
};

int sign(std::strong_ordering o) { return o < 0 ? -1 : (o > 0 ? 1 : 0); }

TEST(CompareKeys, Table) {
  std::vector<OrderRow> table = {
      {"a", "b", -1},
      {"B", "a", -1},
      {"", "a", -1},
      {"ab", "a", 1},
      {"a", "a", 0},
      {"\xC3\xA9", "z", 1},              // UTF-8 bytes compare unsigned
      {"\xEF\xBC\xA1", "\xF0\x9F\x98\x80", -1},  // U+FF21 < U+1F600 in UTF-8 (not UTF-16!)
      {num("9"), num("10"), -1},
      {num("-1"), num("0"), -1},
      {num("-10"), num("-9"), -1},
      {num("1.0"), num("1"), 0},
      {num("1e2"), num("100"), 0},
      {num("0.001"), num("0.01"), -1},
      {bin("\x7f"), bin("\x80"), -1},
      {bin(""), bin(std::string(1, '\0')), -1},
      {bin("\x01\x02"), bin("\x01"), 1},
      {"9", num("1"), -1},  // different types order by type: S < N < B
      {num("1"), bin("\x00"), -1},
  };
  for (const auto& row : table) {
    EXPECT_EQ(sign(compare_keys(row.a, row.b)), row.expected)
        << debug_string(row.a) << " vs " << debug_string(row.b);
    EXPECT_EQ(sign(compare_keys(row.b, row.a)), -row.expected)
        << debug_string(row.b) << " vs " << debug_string(row.a);
  }
}

TEST(CompareKeys, SortsNumbersNumerically) {
  std::vector<AttributeValue> values = {num("10"), num("-2.5"), num("9"), num("0"), num("1e3")};
  std::sort(values.begin(), values.end(),
            [](const auto& a, const auto& b) { return compare_keys(a, b) < 0; });
  std::vector<AttributeValue> want = {num("-2.5"), num("0"), num("9"), num("10"), num("1000")};
  EXPECT_EQ(values, want);
}

struct KeyRow {
  const char* name;
  KeyCondition kc;
  bool expected;
};

TEST(KeyConditionMatches, Table) {
  Item item = {{"PK", AttributeValue("USER#1")}, {"SK", AttributeValue("ORDER#2024-05")},
               {"N", num("15")}, {"B", bin("\x01\x02")}};
  auto h = [] { return KeyCondition::hash("PK", "USER#1"); };
  auto hn = [] { return KeyCondition::hash("PK", "USER#1"); };
  std::vector<KeyRow> table = {
      {"hash only", h(), true},
      {"hash mismatch", KeyCondition::hash("PK", "USER#2"), false},
      {"hash type mismatch", KeyCondition::hash("N", "15"), false},
      {"hash numeric", KeyCondition::hash("N", num("15.0")), true},
      {"hash missing", KeyCondition::hash("X", "1"), false},
      {"range eq", h().range_is("SK", Op::kEq, "ORDER#2024-05"), true},
      {"range eq mismatch", h().range_is("SK", Op::kEq, "ORDER#2024-06"), false},
      {"range lt", h().range_is("SK", Op::kLt, "ORDER#2024-06"), true},
      {"range lt equal", h().range_is("SK", Op::kLt, "ORDER#2024-05"), false},
      {"range le equal", h().range_is("SK", Op::kLe, "ORDER#2024-05"), true},
      {"range gt", h().range_is("SK", Op::kGt, "ORDER#"), true},
      {"range ge", h().range_is("SK", Op::kGe, "ORDER#2024-05"), true},
      {"range ge above", h().range_is("SK", Op::kGe, "ORDER#2025"), false},
      {"range between", h().range_is("SK", Op::kBetween, "ORDER#2024", "ORDER#2025"), true},
      {"range between inclusive", h().range_is("SK", Op::kBetween, "ORDER#2024-05", "ORDER#2024-05"),
       true},
      {"range between outside", h().range_is("SK", Op::kBetween, "ORDER#2025", "ORDER#2026"), false},
      {"range begins_with", h().range_is("SK", Op::kBeginsWith, "ORDER#"), true},
      {"range begins_with no", h().range_is("SK", Op::kBeginsWith, "CART#"), false},
      {"range begins_with B", hn().range_is("B", Op::kBeginsWith, bin("\x01")), true},
      {"range numeric", hn().range_is("N", Op::kGt, num("9")), true},
      {"range numeric between", hn().range_is("N", Op::kBetween, num("10"), num("20")), true},
      {"range type mismatch", hn().range_is("N", Op::kGt, "1"), false},
      {"range missing", h().range_is("X", Op::kGe, "A"), false},
      {"range matches but hash does not",
       KeyCondition::hash("PK", "USER#2").range_is("SK", Op::kBeginsWith, "ORDER#"), false},
  };
  for (const auto& row : table) EXPECT_EQ(matches(row.kc, item), row.expected) << row.name;
}

Item doc() {
  return Item{
      {"id", AttributeValue("1")},
      {"name", AttributeValue("widget")},
      {"a", AttributeValue(Map{{"b", num("1")}, {"c", num("2")}, {"d", num("3")}})},
      {"l", AttributeValue(List{AttributeValue("x"), AttributeValue("y"), AttributeValue("z")})},
      {"m", AttributeValue(Map{{"list", AttributeValue(List{
                                            AttributeValue(Map{{"k", num("1")}, {"j", num("9")}}),
                                            AttributeValue(Map{{"k", num("2")}})})}})},
  };
}

Projection proj(std::initializer_list<const char*> paths) {
  Projection p;
  for (const char* t : paths) p.paths.push_back(path_of(t));
  return p;
}

TEST(Project, TopLevelAttributes) {
  EXPECT_EQ(project(proj({"id", "name", "missing"}), doc()),
            (Item{{"id", AttributeValue("1")}, {"name", AttributeValue("widget")}}));
}

TEST(Project, NestedPathsMergeIntoOneMap) {
  EXPECT_EQ(project(proj({"a.b", "a.c"}), doc()),
            (Item{{"a", AttributeValue(Map{{"b", num("1")}, {"c", num("2")}})}}));
}

TEST(Project, ListIndexesKeepOrder) {
  EXPECT_EQ(project(proj({"l[2]", "l[0]", "l[7]"}), doc()),
            (Item{{"l", AttributeValue(List{AttributeValue("x"), AttributeValue("z")})}}));
}

TEST(Project, ThroughListsAndMaps) {
  Item want{{"m", AttributeValue(Map{{"list", AttributeValue(List{
                                                  AttributeValue(Map{{"k", num("1")}}),
                                                  AttributeValue(Map{{"k", num("2")}})})}})}};
  EXPECT_EQ(project(proj({"m.list[0].k", "m.list[1].k"}), doc()), want);
}

TEST(Project, WholeAttributeWinsOverItsParts) {
  Item want{{"a", doc()["a"]}};
  EXPECT_EQ(project(proj({"a.b", "a"}), doc()), want);
  EXPECT_EQ(project(proj({"a", "a.b"}), doc()), want);
}

TEST(Project, MissingOrMistypedPartsAreOmitted) {
  EXPECT_EQ(project(proj({"a.zz", "name.x", "l.x", "a[0]"}), doc()), Item{});
  EXPECT_EQ(project(proj({}), doc()), Item{});
  EXPECT_EQ(project(proj({"a.b"}), Item{}), Item{});
}

}  // namespace
}  // namespace cartflow::model
