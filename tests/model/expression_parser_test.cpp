// SPDX-License-Identifier: Apache-2.0
// Parsing DynamoDB expression text into typed expressions.

#include <string>
#include <vector>

#include "expression_test_util.h"
#include "model/expression.h"
#include "model/expression_parser.h"

namespace cartflow::model {
namespace {

using testing::num;
using testing::ss;

const ExpressionNames kNames = {{"#s", "status"}, {"#pk", "PK"}, {"#a", "a"}, {"#dot", "x.y"}};
const ExpressionValues kValues = {{":ordered", AttributeValue("ORDERED")},
                                  {":one", num("1")},
                                  {":two", num("2")},
                                  {":ten", num("10")},
                                  {":l", AttributeValue(List{num("9")})},
                                  {":set", ss({"a"})},
                                  {":S", AttributeValue("S")},
                                  {":bad", AttributeValue("XX")}};

Item sample() {
  return Item{{"status", AttributeValue("ORDERED")},
              {"PK", AttributeValue("U#1")},
              {"n", num("5")},
              {"x.y", num("1")},
              {"a", AttributeValue(Map{{"b", AttributeValue(List{num("1"), num("2")})}})},
              {"l", AttributeValue(List{num("1")})},
              {"tags", ss({"a", "b"})}};
}

bool eval_text(const std::string& text) {
  auto c = parse_condition(text, kNames, kValues);
  EXPECT_TRUE(c.ok()) << text << ": " << (c.ok() ? "" : c.error().message);
  if (!c.ok()) return false;
  auto r = evaluate(*c, sample());
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() && *r;
}

TEST(ParseCondition, EvaluatesAsWritten) {
  struct Row {
    const char* text;
    bool expected;
  };
  const Row rows[] = {
      {"#s = :ordered", true},
      {"status = :ordered", true},
      {"#s <> :ordered", false},
      {"n > :one AND n < :ten", true},
      {"n between :one and :ten", true},
      {"n BETWEEN :ten AND :ten", false},
      {"n IN (:one, :two)", false},
      {"n in (:one,:ten,:two)", false},
      {"attribute_exists(#pk) AND attribute_not_exists(nope)", true},
      {"attribute_type(n, :S)", false},
      {"begins_with(#pk, :ordered)", false},
      {"contains(tags, :ordered)", false},
      {"size(a.b) = :two", true},
      {"size(a.b)=:two", true},
      {"a.b[1] = :two", true},
      {"#a.b[0] = :one", true},
      {"#dot = :one", true},
      {"x.y = :one", false},
      {"NOT #s = :ordered", false},
      {"not not #s = :ordered", true},
      {":one = :one", true},
      {"n = n", true},
      {"(n = :one OR n = :two) AND n = :one", false},
      {"n = :one OR n = :two AND n = :one", false},
      {"#s = :ordered OR n = :two AND n = :one", true},
      {"((#s = :ordered))", true},
      {"NOT (#s = :ordered AND n = :one)", true},
      {"NOT attribute_exists(nope) and #s = :ordered", true},
  };
  for (const auto& row : rows) EXPECT_EQ(eval_text(row.text), row.expected) << row.text;
}

TEST(ParseCondition, RejectsBadText) {
  const char* bad[] = {
      "",
      "#s =",
      "#s = :ordered AND",
      "#undefined = :one",
      "#s = :undefined",
      "#s == :one",
      "(#s = :one",
      "#s = :one)",
      "n BETWEEN :one :two",
      "n IN ()",
      "n IN (:one",
      "attribute_type(n, :bad)",
      "attribute_type(n, :one)",
      "unknown_function(n)",
      "size(n)",
      "AND = :one",
      "a[x] = :one",
      "a[99999999999999999999] = :one",
      "a. = :one",
      "#s = :one $",
      "# = :one",
      "begins_with(n)",
  };
  for (const char* text : bad) {
    auto c = parse_condition(text, kNames, kValues);
    EXPECT_FALSE(c.ok()) << "accepted: " << text;
    if (!c.ok()) {
      EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument) << text;
    }
  }
}

TEST(ParseCondition, NamesTheUndefinedPlaceholder) {
  auto c = parse_condition("#nope = :one", kNames, kValues);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("#nope"), std::string::npos) << c.error().message;
}

TEST(ParseCondition, DeepNestingFailsInsteadOfOverflowing) {
  std::string deep(10000, '(');
  deep += "n = :one";
  deep += std::string(10000, ')');
  EXPECT_FALSE(parse_condition(deep, kNames, kValues).ok());
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  EXPECT_FALSE(parse_condition(nots + "n = :one", kNames, kValues).ok());
  std::string fine(20, '(');
  EXPECT_TRUE(parse_condition(fine + "n = :one" + std::string(20, ')'), kNames, kValues).ok());
}

TEST(ParseUpdate, AppliesAsWritten) {
  auto u = parse_update(
      "SET n = n + :one, m = :two, l = list_append(l, :l), c = if_not_exists(c, :ten) "
      "REMOVE #s ADD cnt :one, tags :set DELETE nothing :set",
      kNames, kValues);
  ASSERT_TRUE(u.ok()) << u.error().message;
  Item item = sample();
  ASSERT_TRUE(model::apply(*u, item).ok());
  EXPECT_EQ(item.at("n"), num("6"));
  EXPECT_EQ(item.at("m"), num("2"));
  EXPECT_EQ(item.at("l"), AttributeValue(List{num("1"), num("9")}));
  EXPECT_EQ(item.at("c"), num("10"));
  EXPECT_EQ(item.count("status"), 0U);
  EXPECT_EQ(item.at("cnt"), num("1"));
  EXPECT_EQ(item.at("tags"), ss({"a", "b"}));
}

TEST(ParseUpdate, ClausesInAnyOrderAndCase) {
  auto u = parse_update("remove a.b[0] set n = n - :one", kNames, kValues);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->sets().size(), 1U);
  EXPECT_EQ(u->removes().size(), 1U);
  EXPECT_EQ(u->removes()[0].path, path_of("a.b[0]"));
}

TEST(ParseUpdate, RejectsBadText) {
  const char* bad[] = {
      "",
      "SET",
      "SET n",
      "SET n = ",
      "SET n = :one SET m = :two",
      "REMOVE",
      "ADD n",
      "ADD n m",
      "DELETE n :undefined",
      "UPSERT n = :one",
      "SET n = :one,",
      "SET n = if_not_exists(n, :one) + :one",
      "SET n = :one + if_not_exists(n, :one)",
      "SET l = list_append(if_not_exists(l, :l), :l)",
      "SET n = :one :two",
  };
  for (const char* text : bad) {
    EXPECT_FALSE(parse_update(text, kNames, kValues).ok()) << "accepted: " << text;
  }
}

TEST(ParseKeyCondition, Forms) {
  using Op = KeyCondition::RangeOp;
  auto k = parse_key_condition("#pk = :ordered AND SK BETWEEN :one AND :two", kNames, kValues);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->hash_name, "PK");
  EXPECT_EQ(k->hash_value, AttributeValue("ORDERED"));
  ASSERT_TRUE(k->range.has_value());
  EXPECT_EQ(k->range->op, Op::kBetween);
  EXPECT_EQ(k->range->high, num("2"));

  auto swapped = parse_key_condition("begins_with(SK, :ordered) AND #pk = :one", kNames, kValues);
  ASSERT_TRUE(swapped.ok()) << swapped.error().message;
  EXPECT_EQ(swapped->hash_name, "PK");
  EXPECT_EQ(swapped->range->op, Op::kBeginsWith);
  EXPECT_EQ(swapped->range->name, "SK");

  auto hash_only = parse_key_condition("(PK = :one)", kNames, kValues);
  ASSERT_TRUE(hash_only.ok());
  EXPECT_FALSE(hash_only->range.has_value());

  for (const char* bad : {"PK < :one", "PK = :one OR SK = :two", "PK = :one AND PK = :two",
                          "a.b = :one", "PK = :one AND SK <> :two", "PK = :one AND",
                          "PK = PK", "PK = :one AND SK = :two AND x = :one"}) {
    EXPECT_FALSE(parse_key_condition(bad, kNames, kValues).ok()) << "accepted: " << bad;
  }
}

TEST(ParseProjection, Paths) {
  auto p = parse_projection("#pk, a.b[1], tags", kNames);
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->paths.size(), 3U);
  EXPECT_EQ(p->paths[0], path("PK"));
  EXPECT_EQ(p->paths[1], path_of("a.b[1]"));
  EXPECT_EQ(project(*p, sample()),
            (Item{{"PK", AttributeValue("U#1")},
                  {"a", AttributeValue(Map{{"b", AttributeValue(List{num("2")})}})},
                  {"tags", ss({"a", "b"})}}));
  EXPECT_FALSE(parse_projection("", kNames).ok());
  EXPECT_FALSE(parse_projection("a,", kNames).ok());
  EXPECT_FALSE(parse_projection("#nope", kNames).ok());
}

TEST(ParseRoundTrip, RenderedTextParsesBack) {
  Renderer r;
  Cond c = (Cond::exists(path("PK")) || !Cond::begins_with(path_of("a.b[2]"), "x")) &&
           Cond::in(size_of(path("l")), {operand(num("1")), operand(num("2"))});
  std::string text = r.condition(c);
  auto parsed = parse_condition(text, r.names(), r.values());
  ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
  Renderer again;
  EXPECT_EQ(again.condition(*parsed), text);
  EXPECT_EQ(again.names(), r.names());
  EXPECT_EQ(again.values(), r.values());
}

}  // namespace
}  // namespace cartflow::model
