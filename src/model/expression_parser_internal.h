// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the expression parser: the recursive-descent parser shared by
// expression_parser.cpp (paths, operands, conditions) and expression_parser_clauses.cpp
// (updates, key conditions, projections).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/expression_lexer.h"
#include "model/expression_parser.h"

namespace cartflow::model::detail {

// ASCII case-insensitive equality, for keywords.
bool iequals(std::string_view a, std::string_view b);

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
  bool at_nested_function() const {
    return at_function("if_not_exists") || at_function("list_append");
  }
  Status expect_end() { return at_end() ? Status{} : Status{syntax_error()}; }

  struct KeyPart {
    std::string name;
    KeyCondition::RangeOp op;
    AttributeValue value;
    std::optional<AttributeValue> high;
  };

  Error syntax_error() const;
  Status expect_punct(std::string_view p);
  Result<Path> parse_path();
  Result<std::string> parse_name();
  Result<AttributeValue> parse_value();
  Result<Operand> parse_operand();
  Result<Cond> parse_or();
  Result<Cond> parse_and();
  Result<Cond> parse_not();
  Result<Cond> parse_function_condition();
  Result<Cond> parse_primary();
  Result<SetValue> parse_set_value();
  Error unsupported() const;
  Result<Update> parse_update();
  Result<std::string> parse_key_name();
  Result<KeyPart> parse_key_part(int depth = 0);
  Result<KeyCondition> parse_key_condition();
  Result<Projection> parse_projection();
  Result<Cond> parse_whole_condition();

 private:
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  const ExpressionNames& names_;
  const ExpressionValues& values_;
  const char* what_;
};

// Tokenizes `text` and runs `parse` on a Parser over it.
template <typename T, typename F>
Result<T> run_parser(std::string_view text, const ExpressionNames& names,
                     const ExpressionValues& values, const char* what, F parse) {
  auto tokens = tokenize(text, what);
  if (!tokens) return Error(std::move(tokens).error());
  Parser parser(std::move(*tokens), names, values, what);
  return parse(parser);
}

}  // namespace cartflow::model::detail
