// SPDX-License-Identifier: Apache-2.0
// Property: for random conditions and updates, render -> parse gives an expression that
// evaluates / applies exactly like the original on random items, and renders to the same text.

#include <random>
#include <string>
#include <vector>

#include "expression_test_util.h"
#include "model/expression.h"
#include "model/expression_parser.h"

namespace cartflow::model {
namespace {

using testing::bin;
using testing::debug_string;
using testing::ns;
using testing::num;
using testing::ss;

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}

  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin() { return below(2) == 0; }

  AttributeValue scalar() {
    switch (below(10)) {
      case 0: return AttributeValue("");
      case 1: return AttributeValue("a");
      case 2: return AttributeValue("ab");
      case 3: return AttributeValue("b");
      case 4: return num("-1");
      case 5: return num("0");
      case 6: return num("2.5");
      case 7: return num("10");
      case 8: return bin("\x01");
      default: return AttributeValue(coin());
    }
  }

  AttributeValue value() {
    switch (below(8)) {
      case 0: return ss({"a", "b"});
      case 1: return ns({"1", "2.5"});
      case 2: return AttributeValue(List{num("1"), AttributeValue("a")});
      case 3: return AttributeValue(Map{{"x", num("1")}});
      case 4: return AttributeValue(Null{});
      default: return scalar();
    }
  }

  Path any_path() {
    static const char* const kPaths[] = {"a", "b", "c", "m.x", "m.y", "l[0]", "l[1]", "m.l[0]"};
    return path_of(kPaths[below(8)]);
  }

  Operand any_operand() {
    switch (below(4)) {
      case 0: return operand(any_path());
      case 1: return size_of(any_path());
      default: return operand(value());
    }
  }

  Item item() {
    Item it;
    for (const char* name : {"a", "b", "c"}) {
      if (below(4) != 0) it[name] = value();
    }
    if (coin()) {
      Map m;
      if (coin()) m["x"] = value();
      if (coin()) m["y"] = scalar();
      if (coin()) m["l"] = List{scalar(), scalar()};
      it["m"] = std::move(m);
    }
    if (coin()) {
      List l;
      for (int i = below(4); i > 0; --i) l.push_back(scalar());
      it["l"] = std::move(l);
    }
    return it;
  }

  Cond condition(int depth) {
    int kind = below(depth > 0 ? 12 : 8);
    switch (kind) {
      case 0:
        return Cond::compare(static_cast<Comparator>(below(6)), any_operand(), any_operand());
      case 1: return Cond::between(any_operand(), any_operand(), any_operand());
      case 2: {
        std::vector<Operand> candidates;
        for (int i = below(3) + 1; i > 0; --i) candidates.push_back(any_operand());
        return Cond::in(any_operand(), std::move(candidates));
      }
      case 3: return Cond(Condition{BeginsWith{any_path(), any_operand()}});
      case 4: return Cond(Condition{Contains{any_path(), any_operand()}});
      case 5: return Cond::exists(any_path());
      case 6: return Cond::not_exists(any_path());
      case 7: return Cond::type_is(any_path(), static_cast<AttributeType>(below(10)));
      case 8: return condition(depth - 1) && condition(depth - 1);
      case 9: return condition(depth - 1) || condition(depth - 1);
      default: return !condition(depth - 1);
    }
  }

  Update update() {
    Update u;
    for (int i = below(4) + 1; i > 0; --i) {
      switch (below(8)) {
        case 0: u.set(any_path(), value()); break;
        case 1: u.set(any_path(), SetValue{operand(any_path())}); break;
        case 2: u.set(any_path(), SetValue{SetValue::Plus{any_operand(), any_operand()}}); break;
        case 3: u.set(any_path(), SetValue{SetValue::Minus{any_operand(), operand(num("1"))}}); break;
        case 4: u.set(any_path(), SetValue{IfNotExists{any_path(), any_operand()}}); break;
        case 5: u.set(any_path(), SetValue{ListAppend{any_operand(), any_operand()}}); break;
        case 6: u.remove(any_path()); break;
        default:
          if (coin()) {
            u.add(any_path(), coin() ? num("1") : ss({"c"}));
          } else {
            u.erase(any_path(), coin() ? ss({"a"}) : ns({"1"}));
          }
      }
    }
    return u;
  }

 private:
  std::mt19937 rng_;
};

TEST(ExpressionProperty, RenderedConditionsEvaluateLikeTheOriginal) {
  Gen gen(20240501);
  int compared = 0;
  int errors = 0;
  for (int round = 0; round < 1500; ++round) {
    Cond original = gen.condition(3);
    Renderer r;
    std::string text = r.condition(original);
    auto parsed = parse_condition(text, r.names(), r.values());
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
    Renderer again;
    ASSERT_EQ(again.condition(*parsed), text);
    ASSERT_EQ(again.names(), r.names());
    ASSERT_EQ(again.values(), r.values());
    for (int k = 0; k < 4; ++k) {
      Item item = gen.item();
      auto want = evaluate(original, item);
      auto got = evaluate(*parsed, item);
      ASSERT_EQ(want.ok(), got.ok()) << text << " on " << debug_string(item);
      if (want.ok()) {
        ASSERT_EQ(*want, *got) << text << " on " << debug_string(item);
      } else {
        ++errors;
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 6000);
  EXPECT_LT(errors, compared);  // the generator must produce evaluable conditions too
}

TEST(ExpressionProperty, RenderedUpdatesApplyLikeTheOriginal) {
  Gen gen(777);
  int applied = 0;
  for (int round = 0; round < 1500; ++round) {
    Update original = gen.update();
    Renderer r;
    std::string text = r.update(original);
    auto parsed = parse_update(text, r.names(), r.values());
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
    Renderer again;
    ASSERT_EQ(again.update(*parsed), text);
    for (int k = 0; k < 4; ++k) {
      Item before = gen.item();
      Item want = before;
      Item got = before;
      Status ws = model::apply(original, want);
      Status gs = model::apply(*parsed, got);
      ASSERT_EQ(ws.ok(), gs.ok()) << text << " on " << debug_string(before);
      ASSERT_EQ(want, got) << text << " on " << debug_string(before);
      if (ws.ok()) ++applied;
      if (!ws.ok()) {
        ASSERT_EQ(want, before) << "failed update changed the item: " << text;
      }
    }
  }
  EXPECT_GT(applied, 100);  // the generator must produce applicable updates too
}

TEST(ExpressionProperty, RenderedKeyConditionsAndProjectionsRoundTrip) {
  Gen gen(99);
  using Op = KeyCondition::RangeOp;
  for (int round = 0; round < 300; ++round) {
    KeyCondition kc = KeyCondition::hash("a", gen.scalar());
    if (gen.coin()) {
      auto op = static_cast<Op>(gen.below(7));
      kc.range_is("b", op, gen.scalar(),
                  op == Op::kBetween ? std::optional<AttributeValue>(gen.scalar()) : std::nullopt);
    }
    Renderer r;
    std::string text = r.key_condition(kc);
    auto parsed = parse_key_condition(text, r.names(), r.values());
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
    for (int k = 0; k < 4; ++k) {
      Item item = gen.item();
      ASSERT_EQ(matches(kc, item), matches(*parsed, item)) << text;
    }
    Projection p;
    for (int i = gen.below(3) + 1; i > 0; --i) p.paths.push_back(gen.any_path());
    Renderer pr;
    auto pp = parse_projection(pr.projection(p), pr.names());
    ASSERT_TRUE(pp.ok());
    ASSERT_EQ(pp->paths, p.paths);
  }
}

}  // namespace
}  // namespace cartflow::model
