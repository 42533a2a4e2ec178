// SPDX-License-Identifier: Apache-2.0
// Condition evaluation: a table of (condition, expected) over one sample item.

#include <string>
#include <vector>

#include "expression_test_util.h"
#include "model/expression.h"

namespace cartflow::model {
namespace {

using testing::bin;
using testing::bs;
using testing::ns;
using testing::num;
using testing::ss;

enum class Expect { kTrue, kFalse, kError };

struct Row {
  const char* name;
  Cond condition;
  Expect expect;
};

Item sample_item() {
  Item item;
  item["s"] = "hello";
  item["n"] = num("12.5");
  item["i"] = num("10");
  item["b"] = bin(std::string("\x01\x02\xff", 3));
  item["t"] = true;
  item["null"] = Null{};
  item["ss"] = ss({"a", "b"});
  item["ns"] = ns({"1", "2"});
  item["bs"] = bs({"x", "y"});
  item["l"] = List{AttributeValue("x"), num("1"), AttributeValue(Map{{"k", AttributeValue("v")}})};
  item["m"] = Map{{"a", AttributeValue(Map{{"b", AttributeValue("deep")}})},
                  {"list", AttributeValue(List{num("1"), num("2")})}};
  item["u"] = "\xC3\xA9\xF0\x9D\x84\x9E";  // "é𝄞": 2 UTF-16 units + 1, 6 UTF-8 bytes
  item["empty"] = "";
  item["accent"] = "\xC3\xA9";  // "é"
  return item;
}

Cond cmp(Comparator op, const char* p, AttributeValue v) {
  return Cond::compare(op, operand(path_of(p)), operand(std::move(v)));
}
Cond size_cmp(Comparator op, const char* p, std::int64_t n) {
  return Cond::compare(op, size_of(path_of(p)), operand(AttributeValue::integer(n)));
}
Cond between(const char* p, AttributeValue lo, AttributeValue hi) {
  return Cond::between(operand(path_of(p)), operand(std::move(lo)), operand(std::move(hi)));
}
Cond in(const char* p, std::vector<AttributeValue> vs) {
  std::vector<Operand> ops;
  for (auto& v : vs) ops.push_back(operand(std::move(v)));
  return Cond::in(operand(path_of(p)), std::move(ops));
}

using C = Comparator;
const Expect T = Expect::kTrue;
const Expect F = Expect::kFalse;
const Expect E = Expect::kError;

std::vector<Row> rows() {
  std::vector<AttributeValue> many(101, AttributeValue("x"));
  return {
      {"S equal", cmp(C::kEq, "s", "hello"), T},
      {"S equal is case-sensitive", cmp(C::kEq, "s", "Hello"), F},
      {"S not equal other", cmp(C::kNe, "s", "x"), T},
      {"S not equal same", cmp(C::kNe, "s", "hello"), F},
      {"N equal numerically", cmp(C::kEq, "n", num("12.50")), T},
      {"N equal to S is false", cmp(C::kEq, "n", "12.5"), F},
      {"N not equal to S is true", cmp(C::kNe, "n", "12.5"), T},
      {"missing equal is false", cmp(C::kEq, "nope", "x"), F},
      {"missing not equal is true", cmp(C::kNe, "nope", "x"), T},
      {"N less", cmp(C::kLt, "n", num("13")), T},
      {"N less than itself", cmp(C::kLt, "n", num("12.5")), F},
      {"N less or equal", cmp(C::kLe, "n", num("12.5")), T},
      {"N greater numerically not textually", cmp(C::kGt, "n", num("9")), T},
      {"N greater or equal", cmp(C::kGe, "i", num("1e1")), T},
      {"N negative ordering", cmp(C::kGt, "i", num("-100")), T},
      {"S less by bytes", cmp(C::kLt, "s", "hellp"), T},
      {"S uppercase sorts first", cmp(C::kGt, "s", "Hello"), T},
      {"S prefix sorts first", cmp(C::kGt, "s", "hell"), T},
      {"S vs N less is false", cmp(C::kLt, "s", num("100")), F},
      {"S vs N greater-equal is false", cmp(C::kGe, "s", num("100")), F},
      {"B less", cmp(C::kLt, "b", bin("\x01\x03")), T},
      {"B longer is greater", cmp(C::kGt, "b", bin("\x01\x02")), T},
      {"B unsigned bytes", cmp(C::kGt, "b", bin("\x01\x02\x7f")), T},
      {"S UTF-8 bytes unsigned", cmp(C::kGt, "accent", "z"), T},
      // A BOOL (NULL, M, L, set) literal cannot be ordered: a ValidationException, as
      // DynamoDB Local answers (found by the differential test).
      {"BOOL literal has no order", cmp(C::kLt, "t", true), E},
      {"BOOL literal greater-equal is an error", cmp(C::kGe, "t", true), E},
      {"BOOL equal", cmp(C::kEq, "t", true), T},
      {"NULL equal", cmp(C::kEq, "null", Null{}), T},
      {"M deep equal", cmp(C::kEq, "m.a", Map{{"b", AttributeValue("deep")}}), T},
      {"L equal", cmp(C::kEq, "m.list", List{num("1"), num("2.0")}), T},
      {"L order matters", cmp(C::kEq, "m.list", List{num("2"), num("1")}), F},
      {"SS equal as sets", cmp(C::kEq, "ss", ss({"b", "a"})), T},
      {"NS equal numerically", cmp(C::kEq, "ns", ns({"2.0", "1"})), T},
      {"missing less is false", cmp(C::kLt, "nope", num("5")), F},
      {"path vs path equal",
       Cond::compare(C::kEq, operand(path("n")), operand(path("n"))), T},
      {"path vs path less",
       Cond::compare(C::kLt, operand(path("i")), operand(path("n"))), T},
      {"nested map path", cmp(C::kEq, "m.a.b", "deep"), T},
      {"list element map path", cmp(C::kEq, "l[2].k", "v"), T},
      {"list index out of range", cmp(C::kEq, "l[3]", "x"), F},
      {"BETWEEN inside", between("n", num("12"), num("13")), T},
      {"BETWEEN inclusive", between("n", num("12.5"), num("12.5")), T},
      {"BETWEEN outside", between("n", num("13"), num("14")), F},
      {"BETWEEN strings", between("s", "a", "z"), T},
      {"BETWEEN other type is false", between("n", "a", "z"), F},
      {"BETWEEN missing is false", between("nope", num("1"), num("2")), F},
      {"BETWEEN low above high is an error", between("n", num("2"), num("1")), E},
      {"BETWEEN mixed bound types is an error", between("n", num("1"), "z"), E},
      {"IN found", in("s", {"a", "hello"}), T},
      {"IN not found", in("s", {"a"}), F},
      {"IN numeric", in("n", {num("12.50")}), T},
      {"IN missing", in("nope", {"a"}), F},
      {"IN with no candidates is an error", in("s", {}), E},
      {"IN with 101 candidates is an error", in("s", many), E},
      {"begins_with S", Cond::begins_with(path("s"), "he"), T},
      {"begins_with S not prefix", Cond::begins_with(path("s"), "lo"), F},
      {"begins_with B", Cond::begins_with(path("b"), bin("\x01")), T},
      {"begins_with on N attribute is false", Cond::begins_with(path("n"), "1"), F},
      {"begins_with missing is false", Cond::begins_with(path("nope"), "1"), F},
      {"begins_with N operand is an error", Cond::begins_with(path("s"), num("1")), E},
      {"contains substring", Cond::contains(path("s"), "ell"), T},
      {"contains substring absent", Cond::contains(path("s"), "xyz"), F},
      {"contains SS element", Cond::contains(path("ss"), "a"), T},
      {"contains SS absent", Cond::contains(path("ss"), "c"), F},
      {"contains NS element numerically", Cond::contains(path("ns"), num("2.0")), T},
      {"contains NS with S operand", Cond::contains(path("ns"), "2"), F},
      {"contains BS element", Cond::contains(path("bs"), bin("x")), T},
      {"contains L element S", Cond::contains(path("l"), "x"), T},
      {"contains L element N", Cond::contains(path("l"), num("1")), T},
      {"contains L absent", Cond::contains(path("l"), num("2")), F},
      {"contains on N attribute is false", Cond::contains(path("n"), "1"), F},
      {"contains missing", Cond::contains(path("nope"), "a"), F},
      {"contains with a set operand is an error", Cond::contains(path("s"), ss({"a"})), E},
      {"contains with a map operand is an error", Cond::contains(path("l"), Map{}), E},
      {"exists top-level", Cond::exists(path("s")), T},
      {"exists missing", Cond::exists(path("nope")), F},
      {"exists nested", Cond::exists(path_of("m.a.b")), T},
      {"exists list index", Cond::exists(path_of("m.list[1]")), T},
      {"exists list index past end", Cond::exists(path_of("m.list[2]")), F},
      {"exists through a scalar", Cond::exists(path_of("s.x")), F},
      {"exists index on a map", Cond::exists(path_of("m[0]")), F},
      {"exists NULL value", Cond::exists(path("null")), T},
      {"not_exists missing", Cond::not_exists(path("nope")), T},
      {"not_exists NULL value is false", Cond::not_exists(path("null")), F},
      {"type N", Cond::type_is(path("n"), AttributeType::kN), T},
      {"type NS", Cond::type_is(path("ns"), AttributeType::kNS), T},
      {"type mismatch", Cond::type_is(path("n"), AttributeType::kS), F},
      {"type of missing", Cond::type_is(path("nope"), AttributeType::kS), F},
      {"type NULL", Cond::type_is(path("null"), AttributeType::kNull), T},
      {"type unknown is an error", Cond::type_is(path("n"), static_cast<AttributeType>(42)), E},
      {"size S", size_cmp(C::kEq, "s", 5), T},
      {"size S counts UTF-16 units", size_cmp(C::kEq, "u", 3), T},
      {"size S is not UTF-8 bytes", size_cmp(C::kEq, "u", 6), F},
      {"size empty S", size_cmp(C::kEq, "empty", 0), T},
      {"size B bytes", size_cmp(C::kEq, "b", 3), T},
      {"size SS", size_cmp(C::kEq, "ss", 2), T},
      {"size L", size_cmp(C::kGt, "l", 2), T},
      {"size M", size_cmp(C::kEq, "m", 2), T},
      {"size of N is false", size_cmp(C::kGe, "n", 0), F},
      {"size of missing is false", size_cmp(C::kGe, "nope", 0), F},
      {"size of missing with <> is false too", size_cmp(C::kNe, "nope", 0), F},
      {"size of N with <> is false", size_cmp(C::kNe, "n", 0), F},
      {"size of missing in BETWEEN is false",
       Cond::between(size_of(path("nope")), operand(num("0")), operand(num("9"))), F},
      {"size of missing IN is false",
       Cond::in(size_of(path("nope")), {operand(num("0"))}), F},
      {"NOT size of missing is true", !size_cmp(C::kEq, "nope", 0), T},
      {"AND true", cmp(C::kEq, "s", "hello") && Cond::exists(path("n")), T},
      {"AND false", cmp(C::kEq, "s", "hello") && Cond::exists(path("nope")), F},
      {"OR true", cmp(C::kEq, "s", "x") || Cond::exists(path("n")), T},
      {"OR false", cmp(C::kEq, "s", "x") || Cond::exists(path("nope")), F},
      {"NOT", !cmp(C::kEq, "s", "hello"), F},
      {"NOT of not_exists", !Cond::not_exists(path("s")), T},
      {"error despite false AND lhs",
       Cond::exists(path("nope")) && Cond::begins_with(path("s"), num("1")), E},
      {"error despite true OR lhs",
       Cond::exists(path("s")) || Cond::contains(path("s"), ss({"a"})), E},
      {"empty path is an error", Cond::exists(Path{}), E},
      {"path starting with an index is an error", Cond::exists(Path{{PathElement{0U}}}), E},
  };
}

TEST(ConditionEvaluate, Table) {
  Item item = sample_item();
  auto table = rows();
  ASSERT_GE(table.size(), 60U);
  for (const auto& row : table) {
    auto result = evaluate(row.condition, item);
    switch (row.expect) {
      case Expect::kTrue:
        ASSERT_TRUE(result.ok()) << row.name << ": " << result.error().message;
        EXPECT_TRUE(*result) << row.name;
        break;
      case Expect::kFalse:
        ASSERT_TRUE(result.ok()) << row.name << ": " << result.error().message;
        EXPECT_FALSE(*result) << row.name;
        break;
      case Expect::kError:
        ASSERT_FALSE(result.ok()) << row.name;
        EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << row.name;
        break;
    }
  }
}

TEST(ConditionEvaluate, AbsentItemIsEmpty) {
  Item empty;
  EXPECT_TRUE(*evaluate(Cond::not_exists(path("PK")), empty));
  EXPECT_FALSE(*evaluate(Cond::exists(path("PK")), empty));
  EXPECT_TRUE(*evaluate(Cond::ne(path("status"), "ORDERED"), empty));
}

TEST(ConditionEvaluate, ErrorsDoNotDependOnTheItem) {
  Cond bad = Cond::begins_with(path("s"), num("1"));
  EXPECT_FALSE(evaluate(bad, Item{}).ok());
  EXPECT_FALSE(evaluate(bad, sample_item()).ok());
}

TEST(ConditionEvaluate, ErrorMessagesNameTheProblem) {
  auto r = evaluate(Cond::begins_with(path("s"), num("1")), sample_item());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("begins_with"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("operand type: N"), std::string::npos) << r.error().message;
}

TEST(PathOf, ParsesDotsAndIndexes) {
  Path p = path_of("a.b[3].c[0][1]");
  ASSERT_EQ(p.elements.size(), 6U);
  EXPECT_EQ(std::get<std::string>(p.elements[0].part), "a");
  EXPECT_EQ(std::get<std::string>(p.elements[1].part), "b");
  EXPECT_EQ(std::get<std::size_t>(p.elements[2].part), 3U);
  EXPECT_EQ(std::get<std::string>(p.elements[3].part), "c");
  EXPECT_EQ(std::get<std::size_t>(p.elements[4].part), 0U);
  EXPECT_EQ(std::get<std::size_t>(p.elements[5].part), 1U);
  EXPECT_EQ(path_of("PK"), path("PK"));
}

TEST(Resolve, FollowsMapsAndLists) {
  Item item = sample_item();
  const AttributeValue* v = resolve(item, path_of("m.list[1]"));
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(*v, num("2"));
  EXPECT_EQ(resolve(item, path_of("m.list.x")), nullptr);
  EXPECT_EQ(resolve(item, path_of("s[0]")), nullptr);
  EXPECT_EQ(resolve(item, Path{}), nullptr);
}

// Found by the differential test against DynamoDB Local: ordering a literal that is not S, N
// or B is a ValidationException, whatever the item.
TEST(ConditionEvaluate, OrderingALiteralOfAnUnorderedTypeIsInvalid) {
  for (const AttributeValue& v : {AttributeValue(Null{}), AttributeValue(true), AttributeValue(List{})}) {
    auto lt = evaluate(Cond::compare(Comparator::kLt, operand(path("s")), operand(v)), sample_item());
    ASSERT_FALSE(lt.ok());
    EXPECT_EQ(lt.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(evaluate(Cond::between(operand(path("s")), operand(v), operand(v)), Item{}).ok());
    EXPECT_TRUE(evaluate(Cond::compare(Comparator::kEq, operand(path("s")), operand(v)), Item{}).ok());
  }
}

TEST(ValidateExpressions, FindStaticErrorsWithoutAnItem) {
  EXPECT_TRUE(validate_condition(Cond::eq(path("s"), "x")).ok());
  EXPECT_FALSE(validate_condition(Cond::between(operand(path("n")), operand(AttributeValue::integer(5)),
                                                operand(AttributeValue::integer(1))))
                   .ok());
  EXPECT_TRUE(validate_update(Update().add(path("n"), AttributeValue::integer(1))).ok());
  EXPECT_FALSE(validate_update(Update().add(path("s"), "x")).ok());
  EXPECT_FALSE(validate_update(Update().set(path("m"), "x").remove(path_of("m.a"))).ok());
  EXPECT_TRUE(validate_projection(Projection{{path("a"), path_of("m.a"), path_of("m.b")}}).ok());
  Status overlap = validate_projection(Projection{{path("m"), path_of("m.a")}});
  ASSERT_FALSE(overlap.ok());
  EXPECT_NE(overlap.error().message.find("ProjectionExpression"), std::string::npos);
}

}  // namespace
}  // namespace cartflow::model
