// SPDX-License-Identifier: Apache-2.0
#pragma once

// Parser of DynamoDB expression text (ConditionExpression / FilterExpression, UpdateExpression,
// KeyConditionExpression, ProjectionExpression) with ExpressionAttributeNames / Values into the
// typed expressions of model/expression.h. Used by tests, the fuzz target, and wherever a
// request arrives as DynamoDB text. Pure functions; thread-safe.
//
// Supported grammar (DynamoDB's, minus what the typed model cannot hold):
//   condition  := condition OR condition | condition AND condition | NOT condition
//               | ( condition ) | operand comparator operand | operand BETWEEN operand AND operand
//               | operand IN ( operand, ... ) | attribute_exists(path) | attribute_not_exists(path)
//               | attribute_type(path, :t) | begins_with(path, operand) | contains(path, operand)
//   operand    := path | :value | size(path)
//   path       := name ( .name | [index] )*   where name is an identifier or a #placeholder
//   update     := (SET a = v, ... | REMOVE p, ... | ADD p :v, ... | DELETE p :v, ...)+, each
//                 clause at most once; v := operand | operand + operand | operand - operand
//                 | if_not_exists(path, operand) | list_append(operand, operand)
//   key        := k = :v [AND range] (either order), range := k op :v | k BETWEEN :a AND :b
//                 | begins_with(k, :v)
// Keywords (AND, OR, NOT, BETWEEN, IN, SET, REMOVE, ADD, DELETE) are case-insensitive; function
// names are case-sensitive, as in DynamoDB. Nesting deeper than kMaxExpressionDepth fails.
// Not supported (fails with kInvalidArgument): functions nested inside + / - or list_append,
// e.g. `if_not_exists(a, :z) + :one`.

#include <map>
#include <string>
#include <string_view>

#include "model/expression.h"

namespace cartflow::model {

using ExpressionNames = std::map<std::string, std::string>;       // "#n0" -> attribute name
using ExpressionValues = std::map<std::string, AttributeValue>;   // ":v0" -> value

inline constexpr int kMaxExpressionDepth = 64;

// Each fails with kInvalidArgument on a syntax error, an undefined placeholder, an unknown
// function, an attribute_type with an unknown type, or (update) a repeated clause.
Result<Cond> parse_condition(std::string_view text, const ExpressionNames& names,
                             const ExpressionValues& values);
Result<Update> parse_update(std::string_view text, const ExpressionNames& names,
                            const ExpressionValues& values);
// Also fails when no part is a hash equality, or when the key names are document paths.
Result<KeyCondition> parse_key_condition(std::string_view text, const ExpressionNames& names,
                                         const ExpressionValues& values);
Result<Projection> parse_projection(std::string_view text, const ExpressionNames& names);

}  // namespace cartflow::model
