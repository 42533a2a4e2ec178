// SPDX-License-Identifier: Apache-2.0
// Recursive-descent parser of DynamoDB expression text into typed expressions.

#include "model/expression_parser.h"

#include <cctype>
#include <utility>

#include "model/expression_lexer.h"

namespace cartflow::model {
namespace {

using detail::Token;
using detail::TokenKind;

constexpr std::size_t kMaxIndexDigits = 9;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool is_keyword(std::string_view word) {
  for (const char* k : {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"}) {
    if (iequals(word, k)) return true;
  }
  return false;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ExpressionNames& names, const ExpressionValues& values,
         const char* what)
      : tokens_(std::move(tokens)), names_(names), values_(values), what_(what) {}

  const Token& peek(std::size_t ahead = 0) const {
    std::size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  bool at_end() const { return peek().kind == TokenKind::kEnd; }
  bool at_punct(std::string_view p, std::size_t ahead = 0) const {
    return peek(ahead).kind == TokenKind::kPunct && peek(ahead).text == p;
  }
  bool at_keyword(std::string_view k) const {
    return peek().kind == TokenKind::kIdentifier && iequals(peek().text, k);
  }
  bool at_function(std::string_view f) const {
    return peek().kind == TokenKind::kIdentifier && peek().text == f && at_punct("(", 1);
  }

  Error syntax_error() const {
    const Token& t = peek();
    std::string token = t.kind == TokenKind::kEnd ? "<EOF>" : t.text;
    return Error::invalid("Invalid " + std::string(what_) + ": Syntax error; token: \"" + token +
                          "\", near offset " + std::to_string(t.offset));
  }
  Status expect_punct(std::string_view p) {
    if (!at_punct(p)) return syntax_error();
    ++pos_;
    return {};
  }
  Status expect_end() { return at_end() ? Status{} : Status{syntax_error()}; }

  Result<Path> parse_path() {
    Path p;
    Result<std::string> first = parse_name();
    if (!first) return Error(std::move(first).error());
    p.elements.push_back(PathElement{std::move(*first)});
    while (true) {
      if (at_punct(".")) {
        ++pos_;
        Result<std::string> next = parse_name();
        if (!next) return Error(std::move(next).error());
        p.elements.push_back(PathElement{std::move(*next)});
      } else if (at_punct("[")) {
        ++pos_;
        if (peek().kind != TokenKind::kIndex || peek().text.size() > kMaxIndexDigits) {
          return syntax_error();
        }
        std::size_t index = std::stoul(peek().text);
        ++pos_;
        if (Status s = expect_punct("]"); !s) return Error(s.error());
        p.elements.push_back(PathElement{index});
      } else {
        return p;
      }
    }
  }

  Result<std::string> parse_name() {
    const Token& t = peek();
    if (t.kind == TokenKind::kName) {
      auto it = names_.find(t.text);
      if (it == names_.end()) {
        return Error::invalid("Invalid " + std::string(what_) +
                              ": An expression attribute name used in the document path is not "
                              "defined; attribute name: " + t.text);
      }
      ++pos_;
      return it->second;
    }
    if (t.kind == TokenKind::kIdentifier && !is_keyword(t.text) &&
        !std::isdigit(static_cast<unsigned char>(t.text[0]))) {
      ++pos_;
      return t.text;
    }
    return syntax_error();
  }

  Result<AttributeValue> parse_value() {
    const Token& t = peek();
    if (t.kind != TokenKind::kValue) return syntax_error();
    auto it = values_.find(t.text);
    if (it == values_.end()) {
      return Error::invalid("Invalid " + std::string(what_) +
                            ": An expression attribute value used in expression is not defined; "
                            "attribute value: " + t.text);
    }
    ++pos_;
    return it->second;
  }

  Result<Operand> parse_operand() {
    if (peek().kind == TokenKind::kValue) {
      auto v = parse_value();
      if (!v) return Error(std::move(v).error());
      return operand(std::move(*v));
    }
    if (at_function("size")) {
      pos_ += 2;
      auto p = parse_path();
      if (!p) return Error(std::move(p).error());
      if (Status s = expect_punct(")"); !s) return Error(s.error());
      return size_of(std::move(*p));
    }
    auto p = parse_path();
    if (!p) return Error(std::move(p).error());
    return operand(std::move(*p));
  }

  // ----- conditions -----
  Result<Cond> parse_or() {
    if (++depth_ > kMaxExpressionDepth) {
      return Error::invalid("Invalid " + std::string(what_) + ": The expression is too deeply nested");
    }
    auto lhs = parse_and();
    if (!lhs) return lhs;
    while (at_keyword("OR")) {
      ++pos_;
      auto rhs = parse_and();
      if (!rhs) return rhs;
      lhs = *lhs || *rhs;
    }
    --depth_;
    return lhs;
  }

  Result<Cond> parse_and() {
    auto lhs = parse_not();
    if (!lhs) return lhs;
    while (at_keyword("AND")) {
      ++pos_;
      auto rhs = parse_not();
      if (!rhs) return rhs;
      lhs = *lhs && *rhs;
    }
    return lhs;
  }

  Result<Cond> parse_not() {
    if (!at_keyword("NOT")) return parse_primary();
    if (++depth_ > kMaxExpressionDepth) {
      return Error::invalid("Invalid " + std::string(what_) + ": The expression is too deeply nested");
    }
    ++pos_;
    auto inner = parse_not();
    if (!inner) return inner;
    --depth_;
    return !*inner;
  }

  Result<Cond> parse_function_condition() {
    std::string function = peek().text;
    pos_ += 2;  // name and "("
    auto p = parse_path();
    if (!p) return Error(std::move(p).error());
    Result<Cond> out = syntax_error();
    if (function == "attribute_exists" || function == "attribute_not_exists") {
      out = function == "attribute_exists" ? Cond::exists(std::move(*p))
                                           : Cond::not_exists(std::move(*p));
    } else {
      if (Status s = expect_punct(","); !s) return Error(s.error());
      if (function == "attribute_type") {
        auto v = parse_value();
        if (!v) return Error(std::move(v).error());
        const std::string* text = v->as_s();
        auto type = text ? parse_type_descriptor(*text) : Result<AttributeType>(syntax_error());
        if (!type) {
          return Error::invalid("Invalid " + std::string(what_) +
                                ": Invalid attribute type name found");
        }
        out = Cond::type_is(std::move(*p), *type);
      } else {
        auto o = parse_operand();
        if (!o) return Error(std::move(o).error());
        out = function == "begins_with"
                  ? Cond(Condition{BeginsWith{std::move(*p), std::move(*o)}})
                  : Cond(Condition{Contains{std::move(*p), std::move(*o)}});
      }
    }
    if (Status s = expect_punct(")"); !s) return Error(s.error());
    return out;
  }

  Result<Cond> parse_primary() {
    if (at_punct("(")) {
      ++pos_;
      auto inner = parse_or();
      if (!inner) return inner;
      if (Status s = expect_punct(")"); !s) return Error(s.error());
      return inner;
    }
    for (const char* f : {"attribute_exists", "attribute_not_exists", "attribute_type",
                          "begins_with", "contains"}) {
      if (at_function(f)) return parse_function_condition();
    }
    if (peek().kind == TokenKind::kIdentifier && at_punct("(", 1) && peek().text != "size") {
      return Error::invalid("Invalid " + std::string(what_) +
                            ": Invalid function name; function: " + peek().text);
    }
    auto lhs = parse_operand();
    if (!lhs) return Error(std::move(lhs).error());
    static const std::pair<const char*, Comparator> kComparators[] = {
        {"=", Comparator::kEq}, {"<>", Comparator::kNe}, {"<", Comparator::kLt},
        {"<=", Comparator::kLe}, {">", Comparator::kGt}, {">=", Comparator::kGe}};
    for (const auto& [text, op] : kComparators) {
      if (at_punct(text)) {
        ++pos_;
        auto rhs = parse_operand();
        if (!rhs) return Error(std::move(rhs).error());
        return Cond::compare(op, std::move(*lhs), std::move(*rhs));
      }
    }
    if (at_keyword("BETWEEN")) {
      ++pos_;
      auto low = parse_operand();
      if (!low) return Error(std::move(low).error());
      if (!at_keyword("AND")) return syntax_error();
      ++pos_;
      auto high = parse_operand();
      if (!high) return Error(std::move(high).error());
      return Cond::between(std::move(*lhs), std::move(*low), std::move(*high));
    }
    if (at_keyword("IN")) {
      ++pos_;
      if (Status s = expect_punct("("); !s) return Error(s.error());
      std::vector<Operand> candidates;
      do {
        if (!candidates.empty()) ++pos_;  // the comma
        auto c = parse_operand();
        if (!c) return Error(std::move(c).error());
        candidates.push_back(std::move(*c));
      } while (at_punct(","));
      if (Status s = expect_punct(")"); !s) return Error(s.error());
      return Cond::in(std::move(*lhs), std::move(candidates));
    }
    return syntax_error();
  }

  // ----- updates -----
  bool at_nested_function() const {
    return at_function("if_not_exists") || at_function("list_append");
  }

  Result<SetValue> parse_set_value() {
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

  Error unsupported() const {
    return Error::invalid("Invalid " + std::string(what_) +
                          ": a function nested in an arithmetic or list_append operand is not "
                          "supported by this parser");
  }

  Result<Update> parse_update() {
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

  // ----- key conditions -----
  struct KeyPart {
    std::string name;
    KeyCondition::RangeOp op;
    AttributeValue value;
    std::optional<AttributeValue> high;
  };

  Result<std::string> parse_key_name() {
    auto p = parse_path();
    if (!p) return Error(std::move(p).error());
    if (p->elements.size() != 1) {
      return Error::invalid("Invalid " + std::string(what_) +
                            ": Key conditions may only refer to top-level key attributes");
    }
    return std::get<std::string>(p->elements[0].part);
  }

  Result<KeyPart> parse_key_part(int depth = 0) {
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

  Result<KeyCondition> parse_key_condition() {
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

  Result<Projection> parse_projection() {
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

  Result<Cond> parse_whole_condition() {
    auto c = parse_or();
    if (!c) return c;
    if (Status s = expect_end(); !s) return Error(s.error());
    return c;
  }

 private:
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  const ExpressionNames& names_;
  const ExpressionValues& values_;
  const char* what_;
};

template <typename T, typename F>
Result<T> run(std::string_view text, const ExpressionNames& names, const ExpressionValues& values,
              const char* what, F parse) {
  auto tokens = detail::tokenize(text, what);
  if (!tokens) return Error(std::move(tokens).error());
  Parser parser(std::move(*tokens), names, values, what);
  return parse(parser);
}

}  // namespace

Result<Cond> parse_condition(std::string_view text, const ExpressionNames& names,
                             const ExpressionValues& values) {
  return run<Cond>(text, names, values, "ConditionExpression",
                   [](Parser& p) { return p.parse_whole_condition(); });
}

Result<Update> parse_update(std::string_view text, const ExpressionNames& names,
                            const ExpressionValues& values) {
  return run<Update>(text, names, values, "UpdateExpression",
                     [](Parser& p) { return p.parse_update(); });
}

Result<KeyCondition> parse_key_condition(std::string_view text, const ExpressionNames& names,
                                         const ExpressionValues& values) {
  return run<KeyCondition>(text, names, values, "KeyConditionExpression",
                           [](Parser& p) { return p.parse_key_condition(); });
}

Result<Projection> parse_projection(std::string_view text, const ExpressionNames& names) {
  static const ExpressionValues kNoValues;
  return run<Projection>(text, names, kNoValues, "ProjectionExpression",
                         [](Parser& p) { return p.parse_projection(); });
}

}  // namespace cartflow::model
