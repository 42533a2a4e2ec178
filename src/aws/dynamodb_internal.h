// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the DynamoDB client: request JSON building and response parsing helpers.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/expression.h"
#include "model/result.h"
#include "ports/table.h"

namespace cartflow::aws::detail {

// Appends ,"key":"text" (a JSON string member) to a JSON object being built.
void member(std::string& out, std::string_view key, std::string_view text);
// Appends ,"key":<item as DynamoDB JSON>.
void member_item(std::string& out, std::string_view key, const model::Item& item);
// Appends the ExpressionAttributeNames / ExpressionAttributeValues of a renderer, if any.
void expression_members(std::string& out, const model::Renderer& renderer);
const char* return_values_name(ports::ReturnValues v);

// Parses the DynamoDB JSON item at `key` of the JSON object `json`; std::nullopt when absent.
model::Result<std::optional<model::Item>> item_member(std::string_view json, std::string_view key);

}  // namespace cartflow::aws::detail
