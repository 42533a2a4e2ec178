// SPDX-License-Identifier: Apache-2.0
#include "aws/dynamodb_table.h"

#include <simdjson.h>

#include <array>
#include <thread>

#include "aws/dynamodb_internal.h"
#include "model/dynamo_json.h"
#include "util/random.h"

namespace cartflow::aws {

using model::Error;
using model::Item;
using model::Result;
using model::Status;
namespace d = detail;

namespace {

// A DynamoDB answer as a DOM owned by `parser`; kInternal when it is not JSON.
Result<simdjson::dom::element> parse_answer(simdjson::dom::parser& parser, std::string_view json) {
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(json)).get(doc) != simdjson::SUCCESS) {
    return Error::internal("DynamoDB answered invalid JSON");
  }
  return doc;
}

}  // namespace

namespace detail {

void member(std::string& out, std::string_view key, std::string_view text) {
  if (out.size() > 1) out += ",";
  model::append_json_string(out, key);
  out += ":";
  model::append_json_string(out, text);
}

void member_item(std::string& out, std::string_view key, const Item& item) {
  if (out.size() > 1) out += ",";
  model::append_json_string(out, key);
  out += ":";
  model::append_dynamo_json(out, item);
}

void expression_members(std::string& out, const model::Renderer& renderer) {
  if (!renderer.names().empty()) {
    out += ",\"ExpressionAttributeNames\":{";
    bool first = true;
    for (const auto& [placeholder, name] : renderer.names()) {
      if (!first) out += ",";
      first = false;
      model::append_json_string(out, placeholder);
      out += ":";
      model::append_json_string(out, name);
    }
    out += "}";
  }
  if (!renderer.values().empty()) {
    out += ",\"ExpressionAttributeValues\":{";
    bool first = true;
    for (const auto& [placeholder, value] : renderer.values()) {
      if (!first) out += ",";
      first = false;
      model::append_json_string(out, placeholder);
      out += ":";
      model::append_dynamo_json(out, value);
    }
    out += "}";
  }
}

const char* return_values_name(ports::ReturnValues v) {
  switch (v) {
    case ports::ReturnValues::kNone: return "NONE";
    case ports::ReturnValues::kAllOld: return "ALL_OLD";
    case ports::ReturnValues::kAllNew: return "ALL_NEW";
    case ports::ReturnValues::kUpdatedOld: return "UPDATED_OLD";
    case ports::ReturnValues::kUpdatedNew: return "UPDATED_NEW";
  }
  return "NONE";
}

Result<std::optional<Item>> item_member(std::string_view json, std::string_view key) {
  simdjson::dom::parser parser;
  auto doc = parse_answer(parser, json);
  if (!doc) return std::move(doc).error();
  simdjson::dom::element item;
  if ((*doc)[key].get(item) != simdjson::SUCCESS) return std::optional<Item>();
  auto parsed = model::parse_item(simdjson::minify(item));
  if (!parsed) return std::move(parsed).error();
  return std::optional<Item>(std::move(parsed).value());
}

}  // namespace detail

namespace {

// Parses a JSON array of DynamoDB JSON items; no items when `member` is absent.
Result<std::vector<Item>> items_of(simdjson::simdjson_result<simdjson::dom::element> member) {
  std::vector<Item> out;
  simdjson::dom::element array;
  if (member.get(array) != simdjson::SUCCESS) return out;
  simdjson::dom::array a;
  if (array.get(a) != simdjson::SUCCESS) return Error::internal("DynamoDB: expected an array of items");
  for (simdjson::dom::element e : a) {
    auto item = model::parse_item(simdjson::minify(e));
    if (!item) return std::move(item).error();
    out.push_back(std::move(item).value());
  }
  return out;
}

std::string write_request_json(const ports::WriteRequest& w) {
  std::string out;
  if (const auto* put = std::get_if<ports::PutRequest>(&w.request)) {
    out = "{\"PutRequest\":{\"Item\":";
    model::append_dynamo_json(out, put->item);
  } else {
    out = "{\"DeleteRequest\":{\"Key\":";
    model::append_dynamo_json(out, std::get<ports::DeleteRequest>(w.request).key);
  }
  return out + "}}";
}

Result<ports::WriteResult> write_result(const Result<std::string>& response) {
  if (!response) return response.error();
  auto attrs = d::item_member(*response, "Attributes");
  if (!attrs) return std::move(attrs).error();
  return ports::WriteResult{std::move(attrs).value()};
}

// A ClientRequestToken for a transaction the caller gave none, as the SDKs fill this
// idempotency token: the JsonClient's retries then re-send the same token, so a transaction
// whose answer was lost is not applied twice. 32 hex digits of 128 random bits.
std::string idempotency_token() { return util::random_hex(16); }

void backoff(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(25 << std::min(attempt, 5)));
}

}  // namespace

namespace detail {

Result<ports::QueryResult> parse_query_response(std::string_view json) {
  simdjson::dom::parser parser;
  auto doc = parse_answer(parser, json);
  if (!doc) return std::move(doc).error();
  auto items = items_of((*doc)["Items"]);
  if (!items) return std::move(items).error();
  ports::QueryResult out;
  out.items = std::move(items).value();
  std::uint64_t scanned = 0;
  if ((*doc)["ScannedCount"].get(scanned) == simdjson::SUCCESS) out.scanned_count = scanned;
  auto last = item_member(json, "LastEvaluatedKey");
  if (!last) return std::move(last).error();
  out.last_evaluated_key = std::move(last).value();
  return out;
}

Result<BatchGetPage> parse_batch_get_response(std::string_view json, std::string_view table) {
  simdjson::dom::parser parser;
  auto doc = parse_answer(parser, json);
  if (!doc) return std::move(doc).error();
  auto items = items_of((*doc)["Responses"][table]);
  if (!items) return std::move(items).error();
  auto keys = items_of((*doc)["UnprocessedKeys"][table]["Keys"]);
  if (!keys) return std::move(keys).error();
  return BatchGetPage{std::move(items).value(), std::move(keys).value()};
}

Result<std::vector<ports::WriteRequest>> parse_batch_write_response(std::string_view json,
                                                                    std::string_view table) {
  simdjson::dom::parser parser;
  auto doc = parse_answer(parser, json);
  if (!doc) return std::move(doc).error();
  std::vector<ports::WriteRequest> out;
  simdjson::dom::array unprocessed;
  if ((*doc)["UnprocessedItems"][table].get(unprocessed) == simdjson::SUCCESS) {
    for (simdjson::dom::element e : unprocessed) {
      simdjson::dom::element x;
      if (e["PutRequest"]["Item"].get(x) == simdjson::SUCCESS) {
        auto item = model::parse_item(simdjson::minify(x));
        if (!item) return std::move(item).error();
        out.push_back({ports::PutRequest{std::move(item).value()}});
      } else if (e["DeleteRequest"]["Key"].get(x) == simdjson::SUCCESS) {
        auto key = model::parse_item(simdjson::minify(x));
        if (!key) return std::move(key).error();
        out.push_back({ports::DeleteRequest{std::move(key).value()}});
      }
    }
  }
  return out;
}

}  // namespace detail

DynamoDbTable::DynamoDbTable(JsonClient& client, ports::TableDescription description)
    : client_(client), description_(std::move(description)) {}

Result<std::optional<Item>> DynamoDbTable::get(const ports::GetRequest& request) {
  std::string body = "{";
  d::member(body, "TableName", description_.name);
  d::member_item(body, "Key", request.key);
  body += std::string(",\"ConsistentRead\":") + (request.consistent_read ? "true" : "false");
  model::Renderer renderer;
  if (request.projection) d::member(body, "ProjectionExpression", renderer.projection(*request.projection));
  d::expression_members(body, renderer);
  body += "}";
  auto response = client_.call("GetItem", body);
  if (!response) return std::move(response).error();
  return d::item_member(*response, "Item");
}

Result<ports::WriteResult> DynamoDbTable::put(const ports::PutRequest& request) {
  std::string body = "{";
  d::member(body, "TableName", description_.name);
  d::member_item(body, "Item", request.item);
  model::Renderer renderer;
  if (request.condition) d::member(body, "ConditionExpression", renderer.condition(*request.condition));
  d::expression_members(body, renderer);
  d::member(body, "ReturnValues", d::return_values_name(request.return_values));
  body += "}";
  return write_result(client_.call("PutItem", body));
}

Result<ports::WriteResult> DynamoDbTable::update(const ports::UpdateRequest& request) {
  std::string body = "{";
  d::member(body, "TableName", description_.name);
  d::member_item(body, "Key", request.key);
  model::Renderer renderer;
  if (!request.update.empty()) d::member(body, "UpdateExpression", renderer.update(request.update));
  if (request.condition) d::member(body, "ConditionExpression", renderer.condition(*request.condition));
  d::expression_members(body, renderer);
  d::member(body, "ReturnValues", d::return_values_name(request.return_values));
  body += "}";
  return write_result(client_.call("UpdateItem", body));
}

Result<ports::WriteResult> DynamoDbTable::remove(const ports::DeleteRequest& request) {
  std::string body = "{";
  d::member(body, "TableName", description_.name);
  d::member_item(body, "Key", request.key);
  model::Renderer renderer;
  if (request.condition) d::member(body, "ConditionExpression", renderer.condition(*request.condition));
  d::expression_members(body, renderer);
  d::member(body, "ReturnValues", d::return_values_name(request.return_values));
  body += "}";
  return write_result(client_.call("DeleteItem", body));
}

Result<ports::QueryResult> DynamoDbTable::query(const ports::QueryRequest& request) {
  std::string body = "{";
  d::member(body, "TableName", description_.name);
  if (request.index_name) d::member(body, "IndexName", *request.index_name);
  model::Renderer renderer;
  d::member(body, "KeyConditionExpression", renderer.key_condition(request.key_condition));
  if (request.filter) d::member(body, "FilterExpression", renderer.condition(*request.filter));
  if (request.projection) d::member(body, "ProjectionExpression", renderer.projection(*request.projection));
  d::expression_members(body, renderer);
  if (request.limit) body += ",\"Limit\":" + std::to_string(*request.limit);
  if (request.exclusive_start_key) d::member_item(body, "ExclusiveStartKey", *request.exclusive_start_key);
  body += std::string(",\"ScanIndexForward\":") + (request.scan_forward ? "true" : "false");
  body += std::string(",\"ConsistentRead\":") + (request.consistent_read ? "true" : "false");
  body += "}";
  auto response = client_.call("Query", body);
  if (!response) return std::move(response).error();
  return d::parse_query_response(*response);
}

Result<ports::BatchGetResult> DynamoDbTable::batch_get(const std::vector<Item>& keys) {
  ports::BatchGetResult out;
  std::vector<Item> pending = keys;
  for (int attempt = 0; !pending.empty(); ++attempt) {
    if (attempt > kBatchRetries) {
      out.unprocessed_keys = std::move(pending);
      break;
    }
    if (attempt > 0) backoff(attempt);
    std::string body = "{\"RequestItems\":{";
    model::append_json_string(body, description_.name);
    body += ":{\"ConsistentRead\":true,\"Keys\":[";
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (i) body += ",";
      model::append_dynamo_json(body, pending[i]);
    }
    body += "]}}}";
    auto response = client_.call("BatchGetItem", body);
    if (!response) return std::move(response).error();
    auto page = d::parse_batch_get_response(*response, description_.name);
    if (!page) return std::move(page).error();
    for (auto& i : page->items) out.items.push_back(std::move(i));
    pending = std::move(page->unprocessed_keys);
  }
  return out;
}

Result<ports::BatchWriteResult> DynamoDbTable::batch_write(
    const std::vector<ports::WriteRequest>& requests) {
  ports::BatchWriteResult out;
  std::vector<ports::WriteRequest> pending = requests;
  for (int attempt = 0; !pending.empty(); ++attempt) {
    if (attempt > kBatchRetries) {
      out.unprocessed = std::move(pending);
      break;
    }
    if (attempt > 0) backoff(attempt);
    std::string body = "{\"RequestItems\":{";
    model::append_json_string(body, description_.name);
    body += ":[";
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (i) body += ",";
      body += write_request_json(pending[i]);
    }
    body += "]}}";
    auto response = client_.call("BatchWriteItem", body);
    if (!response) return std::move(response).error();
    auto unprocessed = d::parse_batch_write_response(*response, description_.name);
    if (!unprocessed) return std::move(unprocessed).error();
    pending = std::move(unprocessed).value();
  }
  return out;
}

Status DynamoDbTable::transact_write(const std::vector<ports::TransactAction>& actions,
                                     const std::optional<std::string>& client_request_token) {
  std::string body = "{\"TransactItems\":[";
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (i) body += ",";
    model::Renderer renderer;
    std::string inner = "{";
    d::member(inner, "TableName", description_.name);
    const char* kind = "";
    std::visit(
        [&](const auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, ports::PutRequest>) {
            kind = "Put";
            d::member_item(inner, "Item", a.item);
            if (a.condition) d::member(inner, "ConditionExpression", renderer.condition(*a.condition));
          } else if constexpr (std::is_same_v<T, ports::UpdateRequest>) {
            kind = "Update";
            d::member_item(inner, "Key", a.key);
            d::member(inner, "UpdateExpression", renderer.update(a.update));
            if (a.condition) d::member(inner, "ConditionExpression", renderer.condition(*a.condition));
          } else if constexpr (std::is_same_v<T, ports::DeleteRequest>) {
            kind = "Delete";
            d::member_item(inner, "Key", a.key);
            if (a.condition) d::member(inner, "ConditionExpression", renderer.condition(*a.condition));
          } else {
            kind = "ConditionCheck";
            d::member_item(inner, "Key", a.key);
            d::member(inner, "ConditionExpression", renderer.condition(a.condition));
          }
        },
        actions[i].action);
    d::expression_members(inner, renderer);
    body += "{\"" + std::string(kind) + "\":" + inner + "}}";
  }
  body += "],\"ClientRequestToken\":";
  model::append_json_string(body, client_request_token ? *client_request_token : idempotency_token());
  body += "}";
  auto response = client_.call("TransactWriteItems", body);
  if (!response) return std::move(response).error();
  return {};
}

}  // namespace cartflow::aws
