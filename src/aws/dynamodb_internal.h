// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the DynamoDB client: request JSON building and response parsing helpers. The
// parsers are pure functions (fuzz/fuzz_dynamodb.cpp drives them with arbitrary answers).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// A Query answer: Items, ScannedCount, LastEvaluatedKey. Fails with kInternal on invalid JSON,
// with the item parser's error on an invalid item.
model::Result<ports::QueryResult> parse_query_response(std::string_view json);

// A BatchGetItem answer for `table`: Responses.<table>, UnprocessedKeys.<table>.Keys (either
// may be absent). Fails as parse_query_response.
struct BatchGetPage {
  std::vector<model::Item> items;
  std::vector<model::Item> unprocessed_keys;
};
model::Result<BatchGetPage> parse_batch_get_response(std::string_view json, std::string_view table);

// The UnprocessedItems.<table> of a BatchWriteItem answer (empty when none); entries that are
// neither a PutRequest with an Item nor a DeleteRequest with a Key are skipped. Fails as
// parse_query_response.
model::Result<std::vector<ports::WriteRequest>> parse_batch_write_response(std::string_view json,
                                                                          std::string_view table);

}  // namespace cartflow::aws::detail
