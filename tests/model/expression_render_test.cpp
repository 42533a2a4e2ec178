// SPDX-License-Identifier: Apache-2.0
// Rendering to DynamoDB expression text: exact text, names and values.

#include <map>
#include <string>
#include <vector>

#include "expression_test_util.h"
#include "model/expression.h"

namespace cartflow::model {
namespace {

using testing::num;
using testing::ss;
using Names = std::map<std::string, std::string>;
using Values = std::map<std::string, AttributeValue>;

struct CondRow {
  const char* name;
  Cond condition;
  std::string text;
  Names names;
  Values values;
};

Cond eq(const char* p, AttributeValue v) { return Cond::eq(path_of(p), std::move(v)); }

TEST(RenderCondition, Table) {
  std::vector<CondRow> table = {
      {"equality", eq("status", "ORDERED"), "#n0 = :v0", {{"#n0", "status"}},
       {{":v0", AttributeValue("ORDERED")}}},
      {"not equal", Cond::ne(path("a"), num("1")), "#n0 <> :v0", {{"#n0", "a"}},
       {{":v0", num("1")}}},
      {"all comparators",
       Cond::compare(Comparator::kLt, operand(path("a")), operand(num("1"))) &&
           Cond::compare(Comparator::kLe, operand(path("a")), operand(num("2"))) &&
           Cond::compare(Comparator::kGt, operand(path("a")), operand(num("3"))) &&
           Cond::compare(Comparator::kGe, operand(path("a")), operand(path("b"))),
       "#n0 < :v0 AND #n0 <= :v1 AND #n0 > :v2 AND #n0 >= #n1", {{"#n0", "a"}, {"#n1", "b"}},
       {{":v0", num("1")}, {":v1", num("2")}, {":v2", num("3")}}},
      {"exists and not equal", Cond::exists(path("PK")) && Cond::ne(path("status"), "x"),
       "attribute_exists(#n0) AND #n1 <> :v0", {{"#n0", "PK"}, {"#n1", "status"}},
       {{":v0", AttributeValue("x")}}},
      {"repeated name reuses the placeholder", eq("a", num("1")) || eq("a", num("2")),
       "#n0 = :v0 OR #n0 = :v1", {{"#n0", "a"}}, {{":v0", num("1")}, {":v1", num("2")}}},
      {"OR inside AND is parenthesized", (eq("a", "1") || eq("b", "2")) && eq("c", "3"),
       "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2", {{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}},
       {{":v0", "1"}, {":v1", "2"}, {":v2", "3"}}},
      {"OR on the right of AND", eq("a", "1") && (eq("b", "2") || eq("c", "3")),
       "#n0 = :v0 AND (#n1 = :v1 OR #n2 = :v2)", {{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}},
       {{":v0", "1"}, {":v1", "2"}, {":v2", "3"}}},
      {"AND inside OR needs none", eq("a", "1") || (eq("b", "2") && eq("c", "3")),
       "#n0 = :v0 OR #n1 = :v1 AND #n2 = :v2", {{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}},
       {{":v0", "1"}, {":v1", "2"}, {":v2", "3"}}},
      {"right-nested AND keeps its shape", eq("a", "1") && (eq("b", "2") && eq("c", "3")),
       "#n0 = :v0 AND (#n1 = :v1 AND #n2 = :v2)", {{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}},
       {{":v0", "1"}, {":v1", "2"}, {":v2", "3"}}},
      {"NOT of AND", !(eq("a", "1") && eq("b", "2")), "NOT (#n0 = :v0 AND #n1 = :v1)",
       {{"#n0", "a"}, {"#n1", "b"}}, {{":v0", "1"}, {":v1", "2"}}},
      {"NOT of a function", !Cond::exists(path("a")), "NOT attribute_exists(#n0)", {{"#n0", "a"}},
       {}},
      {"NOT NOT", !!Cond::exists(path("a")), "NOT (NOT attribute_exists(#n0))", {{"#n0", "a"}},
       {}},
      {"NOT binds tighter than AND", !Cond::exists(path("a")) && Cond::exists(path("b")),
       "NOT attribute_exists(#n0) AND attribute_exists(#n1)", {{"#n0", "a"}, {"#n1", "b"}}, {}},
      {"document path", Cond::exists(path_of("a.b[3].c")), "attribute_exists(#n0.#n1[3].#n2)",
       {{"#n0", "a"}, {"#n1", "b"}, {"#n2", "c"}}, {}},
      {"path reuses names per segment", Cond::exists(path_of("a.a[0].a")),
       "attribute_exists(#n0.#n0[0].#n0)", {{"#n0", "a"}}, {}},
      {"not_exists", Cond::not_exists(path("PK")), "attribute_not_exists(#n0)", {{"#n0", "PK"}},
       {}},
      {"size", Cond::compare(Comparator::kGt, size_of(path("items")), operand(num("3"))),
       "size(#n0) > :v0", {{"#n0", "items"}}, {{":v0", num("3")}}},
      {"between",
       Cond::between(operand(path("p")), operand(num("1")), operand(num("9"))),
       "#n0 BETWEEN :v0 AND :v1", {{"#n0", "p"}}, {{":v0", num("1")}, {":v1", num("9")}}},
      {"in", Cond::in(operand(path("s")), {operand("A"), operand("B"), operand(path("t"))}),
       "#n0 IN (:v0, :v1, #n1)", {{"#n0", "s"}, {"#n1", "t"}},
       {{":v0", AttributeValue("A")}, {":v1", AttributeValue("B")}}},
      {"begins_with", Cond::begins_with(path("SK"), "ORDER#"), "begins_with(#n0, :v0)",
       {{"#n0", "SK"}}, {{":v0", AttributeValue("ORDER#")}}},
      {"contains", Cond::contains(path("tags"), "red"), "contains(#n0, :v0)", {{"#n0", "tags"}},
       {{":v0", AttributeValue("red")}}},
      {"attribute_type", Cond::type_is(path("x"), AttributeType::kSS),
       "attribute_type(#n0, :v0)", {{"#n0", "x"}}, {{":v0", AttributeValue("SS")}}},
      {"names with special characters", Cond::exists(Path{{PathElement{"a.b"}, PathElement{"#c"}}}),
       "attribute_exists(#n0.#n1)", {{"#n0", "a.b"}, {"#n1", "#c"}}, {}},
  };
  for (const auto& row : table) {
    Renderer r;
    EXPECT_EQ(r.condition(row.condition), row.text) << row.name;
    EXPECT_EQ(r.names(), row.names) << row.name;
    EXPECT_EQ(r.values(), row.values) << row.name;
  }
}

TEST(RenderUpdate, AllClauses) {
  Renderer r;
  Update u;
  u.set(path("a"), num("1"))
      .set(path("b"), SetValue{SetValue::Plus{operand(path("b")), operand(num("1"))}})
      .set(path("c"), SetValue{SetValue::Minus{operand(path("c")), operand(path("d"))}})
      .remove(path("e"))
      .remove(path_of("l[2]"))
      .add(path("f"), num("5"))
      .erase(path("g"), ss({"x"}));
  EXPECT_EQ(r.update(u),
            "SET #n0 = :v0, #n1 = #n1 + :v1, #n2 = #n2 - #n3 REMOVE #n4, #n5[2] ADD #n6 :v2 "
            "DELETE #n7 :v3");
  EXPECT_EQ(r.names().size(), 8U);
  EXPECT_EQ(r.names().at("#n5"), "l");
  EXPECT_EQ(r.values().at(":v3"), ss({"x"}));
}

TEST(RenderUpdate, Functions) {
  Renderer r;
  Update u;
  u.set(path("n"), SetValue{IfNotExists{path("n"), operand(num("0"))}})
      .set(path("l"), SetValue{ListAppend{operand(path("l")), operand(List{num("1")})}});
  EXPECT_EQ(r.update(u), "SET #n0 = if_not_exists(#n0, :v0), #n1 = list_append(#n1, :v1)");
  EXPECT_EQ(r.values().at(":v1"), AttributeValue(List{num("1")}));
}

TEST(RenderUpdate, SingleClausesAndEmpty) {
  Renderer r;
  EXPECT_EQ(r.update(Update().remove(path("a"))), "REMOVE #n0");
  EXPECT_EQ(r.update(Update().add(path("a"), num("1"))), "ADD #n0 :v0");
  EXPECT_EQ(r.update(Update()), "");
}

TEST(RenderKeyCondition, Forms) {
  using Op = KeyCondition::RangeOp;
  {
    Renderer r;
    EXPECT_EQ(r.key_condition(KeyCondition::hash("PK", "U#1")), "#n0 = :v0");
  }
  {
    Renderer r;
    EXPECT_EQ(r.key_condition(KeyCondition::hash("PK", "U#1").range_is("SK", Op::kBetween, "A", "B")),
              "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
    EXPECT_EQ(r.names(), (Names{{"#n0", "PK"}, {"#n1", "SK"}}));
    EXPECT_EQ(r.values(), (Values{{":v0", AttributeValue("U#1")}, {":v1", AttributeValue("A")},
                                  {":v2", AttributeValue("B")}}));
  }
  const std::pair<Op, const char*> ops[] = {{Op::kEq, "#n0 = :v0 AND #n1 = :v1"},
                                            {Op::kLt, "#n0 = :v0 AND #n1 < :v1"},
                                            {Op::kLe, "#n0 = :v0 AND #n1 <= :v1"},
                                            {Op::kGt, "#n0 = :v0 AND #n1 > :v1"},
                                            {Op::kGe, "#n0 = :v0 AND #n1 >= :v1"},
                                            {Op::kBeginsWith,
                                             "#n0 = :v0 AND begins_with(#n1, :v1)"}};
  for (const auto& [op, text] : ops) {
    Renderer r;
    EXPECT_EQ(r.key_condition(KeyCondition::hash("PK", "U#1").range_is("SK", op, "X")), text);
  }
}

TEST(RenderProjection, PathsAndSharedNames) {
  Renderer r;
  Projection p{{path("id"), path_of("a.b"), path_of("a.l[0]")}};
  EXPECT_EQ(r.projection(p), "#n0, #n1.#n2, #n1.#n3[0]");
  EXPECT_EQ(r.names(), (Names{{"#n0", "id"}, {"#n1", "a"}, {"#n2", "b"}, {"#n3", "l"}}));
  EXPECT_TRUE(r.values().empty());
}

TEST(Renderer, OneRendererPerRequestNeverCollides) {
  Renderer r;
  std::string update = r.update(Update().set(path("status"), "ORDERED"));
  std::string condition = r.condition(Cond::eq(path("status"), "CART"));
  EXPECT_EQ(update, "SET #n0 = :v0");
  EXPECT_EQ(condition, "#n0 = :v1");
  EXPECT_EQ(r.values().size(), 2U);
}

}  // namespace
}  // namespace cartflow::model
