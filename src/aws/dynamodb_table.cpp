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
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(json)).get(doc) != simdjson::SUCCESS) {
    return Error::internal("DynamoDB answered invalid JSON");
  }
  simdjson::dom::element item;
  if (doc[key].get(item) != simdjson::SUCCESS) return std::optional<Item>();
  auto parsed = model::parse_item(simdjson::minify(item));
  if (!parsed) return std::move(parsed).error();
  return std::optional<Item>(std::move(parsed).value());
}

}  // namespace detail

namespace {

// Parses a JSON array of DynamoDB JSON items.
Result<std::vector<Item>> items_of(simdjson::dom::element array) {
  std::vector<Item> out;
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
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(*response)).get(doc) != simdjson::SUCCESS) {
    return Error::internal("DynamoDB answered invalid JSON");
  }
  ports::QueryResult out;
  simdjson::dom::element items;
  if (doc["Items"].get(items) == simdjson::SUCCESS) {
    auto parsed = items_of(items);
    if (!parsed) return std::move(parsed).error();
    out.items = std::move(parsed).value();
  }
  std::uint64_t scanned = 0;
  if (doc["ScannedCount"].get(scanned) == simdjson::SUCCESS) out.scanned_count = scanned;
  auto last = d::item_member(*response, "LastEvaluatedKey");
  if (!last) return std::move(last).error();
  out.last_evaluated_key = std::move(last).value();
  return out;
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
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(simdjson::padded_string(*response)).get(doc) != simdjson::SUCCESS) {
      return Error::internal("DynamoDB answered invalid JSON");
    }
    simdjson::dom::element found;
    if (doc["Responses"][description_.name].get(found) == simdjson::SUCCESS) {
      auto items = items_of(found);
      if (!items) return std::move(items).error();
      for (auto& i : *items) out.items.push_back(std::move(i));
    }
    pending.clear();
    simdjson::dom::element unprocessed;
    if (doc["UnprocessedKeys"][description_.name]["Keys"].get(unprocessed) == simdjson::SUCCESS) {
      auto items = items_of(unprocessed);
      if (!items) return std::move(items).error();
      pending = std::move(items).value();
    }
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
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(simdjson::padded_string(*response)).get(doc) != simdjson::SUCCESS) {
      return Error::internal("DynamoDB answered invalid JSON");
    }
    pending.clear();
    simdjson::dom::array unprocessed;
    if (doc["UnprocessedItems"][description_.name].get(unprocessed) == simdjson::SUCCESS) {
      for (simdjson::dom::element e : unprocessed) {
        simdjson::dom::element x;
        if (e["PutRequest"]["Item"].get(x) == simdjson::SUCCESS) {
          auto item = model::parse_item(simdjson::minify(x));
          if (!item) return std::move(item).error();
          pending.push_back({ports::PutRequest{std::move(item).value()}});
        } else if (e["DeleteRequest"]["Key"].get(x) == simdjson::SUCCESS) {
          auto key = model::parse_item(simdjson::minify(x));
          if (!key) return std::move(key).error();
          pending.push_back({ports::DeleteRequest{std::move(key).value()}});
        }
      }
    }
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
