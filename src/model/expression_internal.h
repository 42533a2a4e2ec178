// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private helpers shared by the expression*.cpp files. Not part of the model's public API.

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/expression.h"

namespace cartflow::model::detail {

// Mutable resolution: nullptr when any step is missing or has the wrong type.
AttributeValue* resolve_mut(Item& item, const Path& path);

// DynamoDB's size(): S -> UTF-16 code units (as DynamoDB counts them), B -> bytes, SS/NS/BS/L/M
// -> element count; nullopt for N, BOOL and NULL (which have no size).
std::optional<std::size_t> size_function(const AttributeValue& value);

// Order of two values of the same scalar key type (S by unsigned bytes, N numerically, B by
// unsigned bytes); nullopt when the types differ or are not S, N or B.
std::optional<std::strong_ordering> compare_scalars(const AttributeValue& a,
                                                    const AttributeValue& b);

// "[a, b, [3]]", as DynamoDB prints document paths in error messages.
std::string describe_path(const Path& path);

// Checks that a path is usable in an expression: non-empty, starting with an attribute name.
Status check_path(const Path& path, const char* where);

// Checks each path and that no two overlap (one a prefix of the other) or conflict (the same
// step used once as a map key and once as a list index), as DynamoDB requires of the targets
// of an update and of the paths of a projection. `where`: "UpdateExpression"...
Status check_disjoint(const std::vector<const Path*>& paths, const char* where);

}  // namespace cartflow::model::detail
