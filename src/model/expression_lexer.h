// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the expression parser: tokens of DynamoDB expression text.

#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace cartflow::model::detail {

enum class TokenKind {
  kIdentifier,  // a raw attribute name, keyword or function name
  kName,        // #placeholder
  kValue,       // :placeholder
  kIndex,       // digits (inside [ ])
  kPunct,       // ( ) [ ] , . = <> < <= > >= + -
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  std::size_t offset = 0;
};

// Splits `text` into tokens ending with kEnd; fails with kInvalidArgument on a character that
// cannot start a token.
Result<std::vector<Token>> tokenize(std::string_view text, const char* what);

}  // namespace cartflow::model::detail
