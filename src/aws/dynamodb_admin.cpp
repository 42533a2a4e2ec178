// SPDX-License-Identifier: Apache-2.0
// DescribeTable, CreateTable, DeleteTable.
#include <simdjson.h>

#include <set>
#include <thread>

#include "aws/dynamodb_internal.h"
#include "aws/dynamodb_table.h"
#include "model/dynamo_json.h"

namespace cartflow::aws {

using model::Error;
using model::Result;
using model::Status;

namespace {

ports::KeySchema key_schema(simdjson::dom::element array) {
  ports::KeySchema keys;
  simdjson::dom::array a;
  if (array.get(a) != simdjson::SUCCESS) return keys;
  for (simdjson::dom::element e : a) {
    std::string_view name, type;
    if (e["AttributeName"].get(name) != simdjson::SUCCESS || e["KeyType"].get(type) != simdjson::SUCCESS) continue;
    if (type == "HASH") keys.hash_name = name;
    else keys.range_name = std::string(name);
  }
  return keys;
}

void append_key_schema(std::string& out, const ports::KeySchema& keys) {
  out += "[{\"AttributeName\":";
  model::append_json_string(out, keys.hash_name);
  out += ",\"KeyType\":\"HASH\"}";
  if (keys.range_name) {
    out += ",{\"AttributeName\":";
    model::append_json_string(out, *keys.range_name);
    out += ",\"KeyType\":\"RANGE\"}";
  }
  out += "]";
}

const char* view_name(ports::StreamViewType v) {
  switch (v) {
    case ports::StreamViewType::kKeysOnly: return "KEYS_ONLY";
    case ports::StreamViewType::kNewImage: return "NEW_IMAGE";
    case ports::StreamViewType::kOldImage: return "OLD_IMAGE";
    case ports::StreamViewType::kNewAndOldImages: return "NEW_AND_OLD_IMAGES";
    case ports::StreamViewType::kNone: break;
  }
  return "";
}

Result<std::string> table_status(JsonClient& client, const std::string& name, ports::TableDescription* out) {
  std::string body = "{";
  detail::member(body, "TableName", name);
  body += "}";
  auto response = client.call("DescribeTable", body);
  if (!response) return std::move(response).error();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(*response)).get(doc) != simdjson::SUCCESS) {
    return Error::internal("DynamoDB answered invalid JSON");
  }
  simdjson::dom::element table = doc["Table"];
  std::string_view status = "ACTIVE";
  if (table["TableStatus"].get(status) != simdjson::SUCCESS) status = "ACTIVE";
  if (out != nullptr) {
    out->name = name;
    out->keys = key_schema(table["KeySchema"]);
    simdjson::dom::array gsis;
    if (table["GlobalSecondaryIndexes"].get(gsis) == simdjson::SUCCESS) {
      for (simdjson::dom::element g : gsis) {
        std::string_view index_name;
        if (g["IndexName"].get(index_name) != simdjson::SUCCESS) continue;
        out->indexes.push_back({std::string(index_name), key_schema(g["KeySchema"])});
      }
    }
    bool enabled = false;
    std::string_view view;
    if (table["StreamSpecification"]["StreamEnabled"].get(enabled) == simdjson::SUCCESS && enabled &&
        table["StreamSpecification"]["StreamViewType"].get(view) == simdjson::SUCCESS) {
      out->stream_view = view == "KEYS_ONLY"   ? ports::StreamViewType::kKeysOnly
                         : view == "NEW_IMAGE" ? ports::StreamViewType::kNewImage
                         : view == "OLD_IMAGE" ? ports::StreamViewType::kOldImage
                                               : ports::StreamViewType::kNewAndOldImages;
    }
  }
  return std::string(status);
}

}  // namespace

Result<std::unique_ptr<DynamoDbTable>> DynamoDbTable::open(JsonClient& client, const std::string& table_name) {
  ports::TableDescription description;
  auto status = table_status(client, table_name, &description);
  if (!status) return std::move(status).error();
  return std::make_unique<DynamoDbTable>(client, std::move(description));
}

Status create_table(JsonClient& client, const ports::TableDescription& description,
                    const std::map<std::string, std::string>& attribute_types) {
  std::set<std::string> attributes{description.keys.hash_name};
  if (description.keys.range_name) attributes.insert(*description.keys.range_name);
  for (const auto& index : description.indexes) {
    attributes.insert(index.keys.hash_name);
    if (index.keys.range_name) attributes.insert(*index.keys.range_name);
  }
  std::string body = "{";
  detail::member(body, "TableName", description.name);
  body += ",\"BillingMode\":\"PAY_PER_REQUEST\",\"AttributeDefinitions\":[";
  bool first = true;
  for (const auto& a : attributes) {
    if (!first) body += ",";
    first = false;
    auto t = attribute_types.find(a);
    body += "{\"AttributeName\":";
    model::append_json_string(body, a);
    body += ",\"AttributeType\":";
    model::append_json_string(body, t == attribute_types.end() ? "S" : t->second);
    body += "}";
  }
  body += "],\"KeySchema\":";
  append_key_schema(body, description.keys);
  if (!description.indexes.empty()) {
    body += ",\"GlobalSecondaryIndexes\":[";
    for (std::size_t i = 0; i < description.indexes.size(); ++i) {
      if (i) body += ",";
      body += "{\"IndexName\":";
      model::append_json_string(body, description.indexes[i].name);
      body += ",\"KeySchema\":";
      append_key_schema(body, description.indexes[i].keys);
      body += ",\"Projection\":{\"ProjectionType\":\"ALL\"}}";
    }
    body += "]";
  }
  if (description.stream_view != ports::StreamViewType::kNone) {
    body += ",\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"";
    body += view_name(description.stream_view);
    body += "\"}";
  }
  body += "}";
  auto created = client.call("CreateTable", body);
  if (!created) return std::move(created).error();
  for (int i = 0; i < 200; ++i) {
    auto status = table_status(client, description.name, nullptr);
    if (!status) return std::move(status).error();
    if (*status == "ACTIVE") return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error::unavailable("table " + description.name + " did not become ACTIVE");
}

Status delete_table(JsonClient& client, const std::string& table_name) {
  std::string body = "{";
  detail::member(body, "TableName", table_name);
  body += "}";
  auto r = client.call("DeleteTable", body);
  if (!r) return std::move(r).error();
  return {};
}

}  // namespace cartflow::aws
