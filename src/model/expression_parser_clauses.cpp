// SPDX-License-Identifier: Apache-2.0
// Parser of DynamoDB expression text: update, key condition and projection clauses.

#include <utility>

#include "model/expression_parser.h"
#include "model/expression_parser_internal.h"

namespace cartflow::model {
namespace detail {

Result<SetValue> Parser::parse_set_value() {
  if (at_nested_function()) {
    bool ine = peek().text == "if_not_exists";
    pos_ += 2;
    SetValue out;
    if (ine) {
      auto p = parse_path();
      if (!p) return Error(std::move(p).error());
      if (Status s = expect_punct(","); !s) return Error(s.error());
      auto fallback = parse_operand();
      if (!fallback) return Error(std::move(fallback).error());
      out.value = IfNotExists{std::move(*p), std::move(*fallback)};
    } else {
      if (at_nested_function()) return unsupported();
      auto first = parse_operand();
      if (!first) return Error(std::move(first).error());
      if (Status s = expect_punct(","); !s) return Error(s.error());
      if (at_nested_function()) return unsupported();
      auto second = parse_operand();
      if (!second) return Error(std::move(second).error());
      out.value = ListAppend{std::move(*first), std::move(*second)};
    }
    if (Status s = expect_punct(")"); !s) return Error(s.error());
    if (at_punct("+") || at_punct("-")) return unsupported();
    return out;
  }
  auto lhs = parse_operand();
  if (!lhs) return Error(std::move(lhs).error());
  if (!at_punct("+") && !at_punct("-")) return SetValue{std::move(*lhs)};
  bool plus = peek().text == "+";
  ++pos_;
  if (at_nested_function()) return unsupported();
  auto rhs = parse_operand();
  if (!rhs) return Error(std::move(rhs).error());
  if (plus) return SetValue{SetValue::Plus{std::move(*lhs), std::move(*rhs)}};
  return SetValue{SetValue::Minus{std::move(*lhs), std::move(*rhs)}};
}

Error Parser::unsupported() const {
  return Error::invalid("Invalid " + std::string(what_) +
                        ": a function nested in an arithmetic or list_append operand is not "
                        "supported by this parser");
}

Result<Update> Parser::parse_update() {
  Update update;
  bool seen[4] = {false, false, false, false};
  static const char* const kClauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
  if (at_end()) return syntax_error();
  while (!at_end()) {
    int clause = -1;
    for (int i = 0; i < 4; ++i) {
      if (at_keyword(kClauses[i])) clause = i;
    }
    if (clause < 0) return syntax_error();
    if (seen[clause]) {
      return Error::invalid("Invalid " + std::string(what_) +
                            ": The \"" + kClauses[clause] + "\" section can only be used once "
                            "in an update expression;");
    }
    seen[clause] = true;
    ++pos_;
    do {
      if (at_punct(",")) ++pos_;
      auto p = parse_path();
      if (!p) return Error(std::move(p).error());
      if (clause == 0) {
        if (Status s = expect_punct("="); !s) return Error(s.error());
        auto v = parse_set_value();
        if (!v) return Error(std::move(v).error());
        update.set(std::move(*p), std::move(*v));
      } else if (clause == 1) {
        update.remove(std::move(*p));
      } else {
        auto v = parse_value();
        if (!v) return Error(std::move(v).error());
        if (clause == 2) {
          update.add(std::move(*p), std::move(*v));
        } else {
          update.erase(std::move(*p), std::move(*v));
        }
      }
    } while (at_punct(","));
  }
  return update;
}

Result<std::string> Parser::parse_key_name() {
  auto p = parse_path();
  if (!p) return Error(std::move(p).error());
  if (p->elements.size() != 1) {
    return Error::invalid("Invalid " + std::string(what_) +
                          ": Key conditions may only refer to top-level key attributes");
  }
  return std::get<std::string>(p->elements[0].part);
}

Result<Parser::KeyPart> Parser::parse_key_part(int depth) {
  if (at_punct("(")) {
    if (depth > kMaxExpressionDepth) return syntax_error();
    ++pos_;
    auto inner = parse_key_part(depth + 1);
    if (!inner) return inner;
    if (Status s = expect_punct(")"); !s) return Error(s.error());
    return inner;
  }
  if (at_function("begins_with")) {
    pos_ += 2;
    auto n = parse_key_name();
    if (!n) return Error(std::move(n).error());
    if (Status s = expect_punct(","); !s) return Error(s.error());
    auto v = parse_value();
    if (!v) return Error(std::move(v).error());
    if (Status s = expect_punct(")"); !s) return Error(s.error());
    return KeyPart{std::move(*n), KeyCondition::RangeOp::kBeginsWith, std::move(*v), {}};
  }
  auto n = parse_key_name();
  if (!n) return Error(std::move(n).error());
  using Op = KeyCondition::RangeOp;
  static const std::pair<const char*, Op> kOps[] = {
      {"=", Op::kEq}, {"<", Op::kLt}, {"<=", Op::kLe}, {">", Op::kGt}, {">=", Op::kGe}};
  for (const auto& [text, op] : kOps) {
    if (at_punct(text)) {
      ++pos_;
      auto v = parse_value();
      if (!v) return Error(std::move(v).error());
      return KeyPart{std::move(*n), op, std::move(*v), {}};
    }
  }
  if (!at_keyword("BETWEEN")) return syntax_error();
  ++pos_;
  auto low = parse_value();
  if (!low) return Error(std::move(low).error());
  if (!at_keyword("AND")) return syntax_error();
  ++pos_;
  auto high = parse_value();
  if (!high) return Error(std::move(high).error());
  return KeyPart{std::move(*n), Op::kBetween, std::move(*low), std::move(*high)};
}

Result<KeyCondition> Parser::parse_key_condition() {
  auto first = parse_key_part();
  if (!first) return Error(std::move(first).error());
  std::optional<KeyPart> second;
  if (at_keyword("AND")) {
    ++pos_;
    auto part = parse_key_part();
    if (!part) return Error(std::move(part).error());
    second = std::move(*part);
  }
  if (Status s = expect_end(); !s) return Error(s.error());
  using Op = KeyCondition::RangeOp;
  if (second && first->op != Op::kEq && second->op == Op::kEq) std::swap(*first, *second);
  if (first->op != Op::kEq) {
    return Error::invalid("Invalid " + std::string(what_) +
                          ": Query key condition not supported");
  }
  if (second && second->name == first->name) {
    return Error::invalid("Invalid " + std::string(what_) +
                          ": KeyConditionExpressions must only contain one condition per key");
  }
  KeyCondition kc = KeyCondition::hash(std::move(first->name), std::move(first->value));
  if (second) {
    kc.range_is(std::move(second->name), second->op, std::move(second->value),
                std::move(second->high));
  }
  return kc;
}

Result<Projection> Parser::parse_projection() {
  Projection projection;
  do {
    if (!projection.paths.empty()) ++pos_;  // the comma
    auto p = parse_path();
    if (!p) return Error(std::move(p).error());
    projection.paths.push_back(std::move(*p));
  } while (at_punct(","));
  if (Status s = expect_end(); !s) return Error(s.error());
  return projection;
}

}  // namespace detail

Result<Update> parse_update(std::string_view text, const ExpressionNames& names,
                            const ExpressionValues& values) {
  return detail::run_parser<Update>(text, names, values, "UpdateExpression",
                                    [](detail::Parser& p) { return p.parse_update(); });
}

Result<KeyCondition> parse_key_condition(std::string_view text, const ExpressionNames& names,
                                         const ExpressionValues& values) {
  return detail::run_parser<KeyCondition>(
      text, names, values, "KeyConditionExpression",
      [](detail::Parser& p) { return p.parse_key_condition(); });
}

Result<Projection> parse_projection(std::string_view text, const ExpressionNames& names) {
  static const ExpressionValues kNoValues;
  return detail::run_parser<Projection>(text, names, kNoValues, "ProjectionExpression",
                                        [](detail::Parser& p) { return p.parse_projection(); });
}

}  // namespace cartflow::model
