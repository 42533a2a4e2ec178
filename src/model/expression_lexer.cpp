// SPDX-License-Identifier: Apache-2.0
#include "model/expression_lexer.h"

namespace cartflow::model::detail {
namespace {

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view text, const char* what) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.offset = i;
    if (c == '#' || c == ':') {
      std::size_t j = i + 1;
      while (j < text.size() && is_word(text[j])) ++j;
      if (j == i + 1) {
        return Error::invalid(std::string("Invalid ") + what + ": Syntax error; token: \"" +
                              std::string(1, c) + "\", near offset " + std::to_string(i));
      }
      t.kind = c == '#' ? TokenKind::kName : TokenKind::kValue;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if (is_digit(c)) {
      std::size_t j = i;
      while (j < text.size() && is_digit(text[j])) ++j;
      t.kind = TokenKind::kIndex;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if (is_word(c)) {
      std::size_t j = i;
      while (j < text.size() && is_word(text[j])) ++j;
      t.kind = TokenKind::kIdentifier;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if ((c == '<' || c == '>') && i + 1 < text.size() &&
               (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>'))) {
      t.kind = TokenKind::kPunct;
      t.text = std::string(text.substr(i, 2));
      i += 2;
    } else if (std::string_view("()[],.=<>+-").find(c) != std::string_view::npos) {
      t.kind = TokenKind::kPunct;
      t.text = std::string(1, c);
      ++i;
    } else {
      return Error::invalid(std::string("Invalid ") + what +
                            ": Invalid character found at offset " + std::to_string(i));
    }
    tokens.push_back(std::move(t));
  }
  Token end;
  end.offset = text.size();
  tokens.push_back(std::move(end));
  return tokens;
}

}  // namespace cartflow::model::detail
