// SPDX-License-Identifier: Apache-2.0
// Recursive-descent parser of DynamoDB expression text: paths, operands and conditions.

#include "model/expression_parser.h"

#include <cctype>
#include <utility>

#include "model/expression_parser_internal.h"

namespace cartflow::model {
namespace detail {
namespace {

constexpr std::size_t kMaxIndexDigits = 9;

bool is_keyword(std::string_view word) {
  for (const char* k : {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"}) {
    if (iequals(word, k)) return true;
  }
  return false;
}

}  // namespace

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

Error Parser::syntax_error() const {
  const Token& t = peek();
  std::string token = t.kind == TokenKind::kEnd ? "<EOF>" : t.text;
  return Error::invalid("Invalid " + std::string(what_) + ": Syntax error; token: \"" + token +
                        "\", near offset " + std::to_string(t.offset));
}

Status Parser::expect_punct(std::string_view p) {
  if (!at_punct(p)) return syntax_error();
  ++pos_;
  return {};
}

Result<Path> Parser::parse_path() {
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

Result<std::string> Parser::parse_name() {
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

Result<AttributeValue> Parser::parse_value() {
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

Result<Operand> Parser::parse_operand() {
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

Result<Cond> Parser::parse_or() {
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

Result<Cond> Parser::parse_and() {
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

Result<Cond> Parser::parse_not() {
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

Result<Cond> Parser::parse_function_condition() {
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

Result<Cond> Parser::parse_primary() {
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

Result<Cond> Parser::parse_whole_condition() {
  auto c = parse_or();
  if (!c) return c;
  if (Status s = expect_end(); !s) return Error(s.error());
  return c;
}

}  // namespace detail

Result<Cond> parse_condition(std::string_view text, const ExpressionNames& names,
                             const ExpressionValues& values) {
  return detail::run_parser<Cond>(text, names, values, "ConditionExpression",
                                  [](detail::Parser& p) { return p.parse_whole_condition(); });
}

}  // namespace cartflow::model
