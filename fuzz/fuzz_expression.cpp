// SPDX-License-Identifier: Apache-2.0
// Fuzzes the expression parser. The first byte picks the kind (condition, update, key
// condition, projection); the rest is expression text with fixed names and values. Whatever
// parses is evaluated on a fixed item, rendered, parsed again, and must evaluate the same.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "model/expression.h"
#include "model/expression_parser.h"

namespace {

using namespace cartflow::model;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_expression: %s\n", what);
    std::abort();
  }
}

Number n(std::int64_t v) { return Number::from_int(v); }

const ExpressionNames& names() {
  static const ExpressionNames kNames = {
      {"#a", "a"}, {"#b", "b"}, {"#m", "m"}, {"#l", "l"}, {"#s", "status"}, {"#d", "x.y"}};
  return kNames;
}

const ExpressionValues& values() {
  static const ExpressionValues kValues = {
      {":s", AttributeValue("x")},
      {":e", AttributeValue("")},
      {":n", AttributeValue(n(1))},
      {":z", AttributeValue(n(0))},
      {":l", AttributeValue(List{AttributeValue(n(1))})},
      {":ss", AttributeValue(StringSet{{"a", "x"}})},
      {":ns", AttributeValue(NumberSet{{n(1), n(2)}})},
      {":t", AttributeValue("S")},
      {":m", AttributeValue(Map{{"k", AttributeValue("v")}})},
      {":b", AttributeValue(Bytes{"\x01\x02"})},
      {":bool", AttributeValue(true)},
      {":null", AttributeValue(Null{})},
  };
  return kValues;
}

const Item& item() {
  static const Item kItem = {
      {"a", AttributeValue("x")},
      {"b", AttributeValue(n(5))},
      {"status", AttributeValue("ORDERED")},
      {"x.y", AttributeValue(n(1))},
      {"m", AttributeValue(Map{{"k", AttributeValue("v")},
                               {"l", AttributeValue(List{AttributeValue(n(1)),
                                                         AttributeValue("s")})}})},
      {"l", AttributeValue(List{AttributeValue(n(1)), AttributeValue(n(2)),
                                AttributeValue(Map{{"k", AttributeValue("v")}})})},
      {"ss", AttributeValue(StringSet{{"a", "b"}})},
      {"ns", AttributeValue(NumberSet{{n(1), n(2)}})},
      {"bin", AttributeValue(Bytes{"\x01\x02\x03"})},
  };
  return kItem;
}

void fuzz_condition(std::string_view text) {
  auto c = parse_condition(text, names(), values());
  if (!c.ok()) return;
  auto first = evaluate(*c, item());
  Renderer r;
  std::string rendered = r.condition(*c);
  auto again = parse_condition(rendered, r.names(), r.values());
  check(again.ok(), "rendered condition does not parse");
  auto second = evaluate(*again, item());
  check(first.ok() == second.ok(), "condition error differs after rendering");
  if (first.ok()) check(*first == *second, "condition result differs after rendering");
  Renderer r2;
  check(r2.condition(*again) == rendered, "condition renders differently after a re-parse");
}

void fuzz_update(std::string_view text) {
  auto u = parse_update(text, names(), values());
  if (!u.ok()) return;
  Item first = item();
  Status s1 = cartflow::model::apply(*u, first);
  if (!s1.ok()) check(first == item(), "failed update changed the item");
  Renderer r;
  std::string rendered = r.update(*u);
  auto again = parse_update(rendered, r.names(), r.values());
  check(again.ok(), "rendered update does not parse");
  Item second = item();
  Status s2 = cartflow::model::apply(*again, second);
  check(s1.ok() == s2.ok(), "update error differs after rendering");
  check(first == second, "updated item differs after rendering");
}

void fuzz_key_condition(std::string_view text) {
  auto k = parse_key_condition(text, names(), values());
  if (!k.ok()) return;
  bool first = matches(*k, item());
  Renderer r;
  auto again = parse_key_condition(r.key_condition(*k), r.names(), r.values());
  check(again.ok(), "rendered key condition does not parse");
  check(matches(*again, item()) == first, "key condition differs after rendering");
}

void fuzz_projection(std::string_view text) {
  auto p = parse_projection(text, names());
  if (!p.ok()) return;
  Item first = project(*p, item());
  Renderer r;
  auto again = parse_projection(r.projection(*p), r.names());
  check(again.ok(), "rendered projection does not parse");
  check(again->paths == p->paths, "projection paths differ after rendering");
  check(project(*again, item()) == first, "projection differs after rendering");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: fuzz_condition(text); break;
    case 1: fuzz_update(text); break;
    case 2: fuzz_key_condition(text); break;
    default: fuzz_projection(text); break;
  }
  return 0;
}
