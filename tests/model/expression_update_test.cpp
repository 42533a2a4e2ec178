// SPDX-License-Identifier: Apache-2.0
// Update application: a table of (update, expected item or error) over one starting item.

#include <optional>
#include <string>
#include <vector>

#include "expression_test_util.h"
#include "model/expression.h"

namespace cartflow::model {
namespace {

using testing::debug_string;
using testing::ns;
using testing::num;
using testing::ss;

Item start_item() {
  Item item;
  item["pk"] = "p";
  item["n"] = num("5");
  item["s"] = "x";
  item["l"] = List{num("1"), num("2"), num("3")};
  item["m"] = Map{{"a", num("1")}};
  item["ss"] = ss({"a", "b"});
  item["ns"] = ns({"1", "2"});
  return item;
}

Item with(std::initializer_list<std::pair<const char*, std::optional<AttributeValue>>> changes) {
  Item item = start_item();
  for (const auto& [name, value] : changes) {
    if (value) {
      item[name] = *value;
    } else {
      item.erase(name);
    }
  }
  return item;
}

struct Row {
  const char* name;
  Update update;
  std::optional<Item> expected;         // nullopt: the update must fail
  const char* error_fragment = nullptr;  // expected in the error message
};

SetValue plus(Operand a, Operand b) { return SetValue{SetValue::Plus{std::move(a), std::move(b)}}; }
SetValue minus(Operand a, Operand b) {
  return SetValue{SetValue::Minus{std::move(a), std::move(b)}};
}
SetValue if_not_exists(const char* p, AttributeValue v) {
  return SetValue{IfNotExists{path_of(p), operand(std::move(v))}};
}
SetValue list_append(Operand a, Operand b) {
  return SetValue{ListAppend{std::move(a), std::move(b)}};
}
Operand p(const char* text) { return operand(path_of(text)); }
Operand v(AttributeValue value) { return operand(std::move(value)); }

constexpr const char* kMissing = "refers to an attribute that does not exist";
constexpr const char* kBadPath = "document path provided in the update expression is invalid";
constexpr const char* kBadType = "incorrect data type";
constexpr const char* kBadOperand = "Incorrect operand type";
constexpr const char* kOverlap = "Two document paths overlap";
constexpr const char* kConflict = "Two document paths conflict";

std::vector<Row> rows() {
  const auto none = std::nullopt;
  return {
      {"SET replaces", Update().set(path("s"), "y"), with({{"s", "y"}})},
      {"SET adds", Update().set(path("new"), num("1")), with({{"new", num("1")}})},
      {"SET nested new key", Update().set(path_of("m.b"), "z"),
       with({{"m", Map{{"a", num("1")}, {"b", AttributeValue("z")}}}})},
      {"SET nested replace", Update().set(path_of("m.a"), num("2")),
       with({{"m", Map{{"a", num("2")}}}})},
      {"SET under missing map", Update().set(path_of("nope.x"), num("1")), none, kBadPath},
      {"SET under a scalar", Update().set(path_of("s.x"), num("1")), none, kBadPath},
      {"SET under a map's missing child", Update().set(path_of("m.b.c"), num("1")), none, kBadPath},
      {"SET list element", Update().set(path_of("l[1]"), "b"),
       with({{"l", List{num("1"), AttributeValue("b"), num("3")}}})},
      {"SET past the end appends", Update().set(path_of("l[10]"), num("4")),
       with({{"l", List{num("1"), num("2"), num("3"), num("4")}}})},
      {"SET index on a map", Update().set(path_of("m[0]"), num("1")), none, kBadPath},
      {"SET plus", Update().set(path("n"), plus(p("n"), v(num("3")))), with({{"n", num("8")}})},
      {"SET minus", Update().set(path("n"), minus(p("n"), v(num("7")))), with({{"n", num("-2")}})},
      {"SET plus decimals", Update().set(path("d"), plus(v(num("0.1")), v(num("0.2")))),
       with({{"d", num("0.3")}})},
      {"SET plus S literal", Update().set(path("n"), plus(p("n"), v("1"))), none, kBadType},
      {"SET plus missing", Update().set(path("n"), plus(p("nope"), v(num("1")))), none, kMissing},
      {"SET minus on S attribute", Update().set(path("s"), minus(p("s"), v(num("1")))), none,
       kBadType},
      {"SET from missing attribute", Update().set(path("a"), SetValue{p("nope")}), none, kMissing},
      {"SET if_not_exists missing", Update().set(path("c"), if_not_exists("c", num("0"))),
       with({{"c", num("0")}})},
      {"SET if_not_exists present", Update().set(path("n"), if_not_exists("n", num("0"))),
       start_item()},
      {"SET list_append at end", Update().set(path("l"), list_append(p("l"), v(List{num("4")}))),
       with({{"l", List{num("1"), num("2"), num("3"), num("4")}}})},
      {"SET list_append at front", Update().set(path("l"), list_append(v(List{num("0")}), p("l"))),
       with({{"l", List{num("0"), num("1"), num("2"), num("3")}}})},
      {"SET list_append non-list", Update().set(path("l"), list_append(p("l"), v("x"))), none,
       kBadType},
      {"SET list_append missing", Update().set(path("l2"), list_append(p("nope"), p("l"))), none,
       kMissing},
      {"SET right-hand sides see the item before",
       Update().set(path("a"), SetValue{p("n")}).set(path("n"), num("100")),
       with({{"a", num("5")}, {"n", num("100")}})},
      {"SET swap", Update().set(path("n"), SetValue{p("s")}).set(path("s"), SetValue{p("n")}),
       with({{"n", "x"}, {"s", num("5")}})},
      {"SET size() is not allowed", Update().set(path("a"), SetValue{size_of(path("l"))}), none,
       "not allowed"},
      {"REMOVE attribute", Update().remove(path("s")), with({{"s", none}})},
      {"REMOVE missing is fine", Update().remove(path("nope")), start_item()},
      {"REMOVE under missing is an error", Update().remove(path_of("nope.x")), none, kBadPath},
      {"REMOVE list element shifts", Update().remove(path_of("l[0]")),
       with({{"l", List{num("2"), num("3")}}})},
      {"REMOVE two list elements by original index",
       Update().remove(path_of("l[0]")).remove(path_of("l[2]")), with({{"l", List{num("2")}}})},
      {"REMOVE past the end is fine", Update().remove(path_of("l[9]")), start_item()},
      // Found by the differential test against DynamoDB Local.
      {"REMOVE an index of a non-list", Update().remove(path_of("s[1]")), none, kBadPath},
      {"REMOVE a key of a list", Update().remove(path_of("l.x")), none, kBadPath},
      {"DELETE under a non-map", Update().erase(path_of("n.x"), ss({"a"})), none, kBadPath},
      {"REMOVE nested key", Update().remove(path_of("m.a")), with({{"m", Map{}}})},
      {"ADD to number", Update().add(path("n"), num("3")), with({{"n", num("8")}})},
      {"ADD negative", Update().add(path("n"), num("-5")), with({{"n", num("0")}})},
      {"ADD to missing number", Update().add(path("c"), num("1")), with({{"c", num("1")}})},
      {"ADD to set", Update().add(path("ss"), ss({"c", "a"})), with({{"ss", ss({"a", "b", "c"})}})},
      {"ADD to missing set", Update().add(path("t"), ss({"x"})), with({{"t", ss({"x"})}})},
      {"ADD nested", Update().add(path_of("m.c"), num("2")),
       with({{"m", Map{{"a", num("1")}, {"c", num("2")}}}})},
      {"ADD under missing map", Update().add(path_of("nope.c"), num("2")), none, kBadPath},
      {"ADD set of another type", Update().add(path("ss"), ns({"1"})), none, kBadType},
      {"ADD number to a set", Update().add(path("ss"), num("1")), none, kBadType},
      {"ADD number to S attribute", Update().add(path("s"), num("1")), none, kBadType},
      {"ADD a string value", Update().add(path("s"), "x"), none, kBadOperand},
      {"ADD a list value", Update().add(path("l"), List{num("1")}), none, kBadOperand},
      {"DELETE from set", Update().erase(path("ss"), ss({"a", "z"})), with({{"ss", ss({"b"})}})},
      {"DELETE from NS numerically", Update().erase(path("ns"), ns({"1.0"})),
       with({{"ns", ns({"2"})}})},
      {"DELETE every element removes", Update().erase(path("ss"), ss({"a", "b"})),
       with({{"ss", none}})},
      {"DELETE from missing is fine", Update().erase(path("nope"), ss({"a"})), start_item()},
      {"DELETE a non-set value", Update().erase(path("ss"), "a"), none, kBadOperand},
      {"DELETE set of another type", Update().erase(path("ss"), ns({"1"})), none, kBadType},
      {"DELETE from a number", Update().erase(path("n"), ns({"1"})), none, kBadType},
      {"overlap SET and REMOVE", Update().set(path("s"), num("1")).remove(path("s")), none,
       kOverlap},
      {"overlap parent and child", Update().set(path("m"), num("1")).set(path_of("m.a"), num("2")),
       none, kOverlap},
      {"overlap ADD and DELETE", Update().add(path("ss"), ss({"c"})).erase(path("ss"), ss({"a"})),
       none, kOverlap},
      {"conflict index and key", Update().set(path_of("l[0]"), num("1")).set(path_of("l.x"), num("2")),
       none, kConflict},
      {"siblings do not overlap",
       Update().set(path_of("m.a"), num("7")).set(path_of("m.b"), num("8")),
       with({{"m", Map{{"a", num("7")}, {"b", num("8")}}}})},
      {"number overflow",
       Update().set(path("big"), plus(v(num("9.9999999999999999999999999999999999999E+125")),
                                      v(num("9.9999999999999999999999999999999999999E+125")))),
       none, nullptr},
      {"failure after a good action leaves the item unchanged",
       Update().set(path("s"), "changed").add(path("ss"), num("1")), none, kBadType},
      {"all four clauses",
       Update().set(path("s"), "y").remove(path("pk")).add(path("n"), num("1")).erase(
           path("ss"), ss({"a"})),
       with({{"s", "y"}, {"pk", none}, {"n", num("6")}, {"ss", ss({"b"})}})},
  };
}

TEST(UpdateApply, Table) {
  auto table = rows();
  ASSERT_GE(table.size(), 30U);
  for (const auto& row : table) {
    Item item = start_item();
    Status s = model::apply(row.update, item);
    if (row.expected) {
      ASSERT_TRUE(s.ok()) << row.name << ": " << s.error().message;
      EXPECT_EQ(item, *row.expected) << row.name << "\n got: " << debug_string(item)
                                     << "\n want: " << debug_string(*row.expected);
    } else {
      ASSERT_FALSE(s.ok()) << row.name << " got: " << debug_string(item);
      EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << row.name;
      if (row.error_fragment != nullptr) {
        EXPECT_NE(s.error().message.find(row.error_fragment), std::string::npos)
            << row.name << ": " << s.error().message;
      }
      EXPECT_EQ(item, start_item()) << row.name << ": the item changed on failure";
    }
  }
}

TEST(UpdateApply, EmptyUpdateIsANoOp) {
  Item item = start_item();
  Update u;
  EXPECT_TRUE(u.empty());
  ASSERT_TRUE(model::apply(u, item).ok());
  EXPECT_EQ(item, start_item());
}

TEST(UpdateApply, WorksOnAnAbsentItem) {
  Item item;
  ASSERT_TRUE(model::apply(Update().set(path("PK"), "a").add(path("count"), num("1")), item).ok());
  EXPECT_EQ(item, (Item{{"PK", AttributeValue("a")}, {"count", num("1")}}));
}

TEST(UpdateApply, OverlapMessageNamesBothPaths) {
  Item item = start_item();
  Status s = model::apply(Update().set(path_of("m.a"), num("1")).remove(path("m")), item);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("[m, a]"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("path two: [m]"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace cartflow::model
