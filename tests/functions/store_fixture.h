// SPDX-License-Identifier: Apache-2.0
#pragma once

// The real embedded store for handler tests (SQLite table with its change stream, SQS-like
// queue, in a temporary folder), plus fault-injecting decorators over the ports (fakes in the
// LevelDB sense: real behaviour, with failures injected where a test asks for them).

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "domain/keys.h"
#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_queue.h"
#include "embedded/sqlite_table.h"
#include "events/batch_response.h"
#include "events/dynamodb_stream.h"
#include "events/sqs.h"
#include "functions/api_table.h"
#include "functions/logging.h"
#include "model/dynamo_json.h"
#include "ports/clock.h"
#include "support/embedded_store.h"
#include "support/faulty_queue.h"
#include "support/faulty_table.h"
#include "support/temp_dir.h"

namespace cartflow::functions::testing {

using support::FaultyQueue;
using support::FaultyTable;
using support::TableOp;
using support::TempDir;

using model::AttributeValue;
using model::Item;

// The app's table (keys, GSIs, stream NEW_IMAGE), as the API handler expects it.
inline ports::TableDescription app_table_description() {
  return functions::table_description("EcommerceAppTable");
}

// Table, stream and queue on one SQLite file.
struct Store : support::EmbeddedStore {
  Store() {
    embedded::QueueConfig config;
    config.name = "UpdateCartProductsSQS";
    config.visibility_timeout_seconds = 20;
    auto opened = open({.table = app_table_description(), .stream = true, .queues = {config}});
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    queue = queues.front().get();
  }

  embedded::SqliteQueue* queue = nullptr;  // the one queue, owned by `queues`
};

// Logger + metrics capturing the lines.
struct Observability {
  std::vector<std::string> lines;
  Logger logger{"cartflow-test", vector_sink(lines), LogLevel::kDebug};
  Metrics metrics;
};

// ---------------------------------------------------------------------------------------------
// Fault injection.

// ---------------------------------------------------------------------------------------------
// Items per the key design (src/domain/keys.h), built by hand so these tests do not depend on
// the API handler.

inline Item cart_item(const std::string& user, const std::string& product,
                      const std::string& added_on, int quantity = 1) {
  return {{"PK", AttributeValue(domain::user_pk(user))},
          {"SK", AttributeValue(domain::cart_item_sk(product))},
          {"userId", AttributeValue(user)},
          {"productId", AttributeValue(product)},
          {"quantity", AttributeValue::integer(quantity)},
          {"cartProductStatus", AttributeValue(std::string(domain::kStatusPending))},
          {"addedOn", AttributeValue(added_on)}};
}

struct Line {
  std::string product;
  std::string added_on;
  int quantity = 1;
};

inline Item order_item(const std::string& order_id, const std::string& user,
                       const std::vector<Line>& lines,
                       const std::string& order_date = "2024-05-01T10:00:00.000Z") {
  model::List items;
  std::int64_t total = 0;
  for (const auto& line : lines) {
    items.push_back(AttributeValue(model::Map{{"productId", AttributeValue(line.product)},
                                              {"quantity", AttributeValue::integer(line.quantity)},
                                              {"price", AttributeValue::integer(1000)},
                                              {"addedOn", AttributeValue(line.added_on)}}));
    total += 1000 * line.quantity;
  }
  return {{"PK", AttributeValue(domain::order_pk(order_id))},
          {"SK", AttributeValue(domain::order_pk(order_id))},
          {"GSI1PK", AttributeValue(domain::user_pk(user))},
          {"GSI1SK", AttributeValue("ORDER#" + order_date + "#" + order_id)},
          {"user_id", AttributeValue(user)},
          {"order_id", AttributeValue(order_id)},
          {"order_status", AttributeValue(std::string(domain::kStatusOrdered))},
          {"order_date", AttributeValue(order_date)},
          {"order_total", AttributeValue::integer(total)},
          {"order_items", AttributeValue(std::move(items))}};
}

// An SQS event with one record per body; message ids "m0", "m1", ...
inline std::string sqs_event(const std::vector<std::string>& bodies) {
  events::SqsEvent event;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    events::SqsRecord r;
    r.message_id = "m" + std::to_string(i);
    r.receipt_handle = "rh" + std::to_string(i);
    r.body = bodies[i];
    r.set_attributes({{"ApproximateReceiveCount", "1"}});
    r.event_source = "aws:sqs";
    r.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:UpdateCartProductsSQS";
    r.aws_region = "us-east-1";
    event.records.push_back(std::move(r));
  }
  return events::to_json(event);
}

// A stream record as DynamoDB would send it; sequence numbers "1000", "1001", ... by index.
inline events::DynamoDbStreamRecord stream_record(std::size_t index, const std::string& name,
                                                  const std::optional<Item>& new_image) {
  events::DynamoDbStreamRecord r;
  r.event_id = "evt" + std::to_string(index);
  r.event_name = name;
  r.event_version = "1.1";
  r.event_source = "aws:dynamodb";
  r.aws_region = "us-east-1";
  r.event_source_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/EcommerceAppTable/stream/x";
  r.dynamodb.approximate_creation_date_time = 1714557600;
  if (new_image) {
    r.dynamodb.keys = {{"PK", new_image->at("PK")}, {"SK", new_image->at("SK")}};
  }
  r.dynamodb.new_image = new_image;
  r.dynamodb.sequence_number = std::to_string(1000 + index);
  r.dynamodb.size_bytes = 100;
  r.dynamodb.stream_view_type = "NEW_IMAGE";
  return r;
}

// A file of tests/data/events.
inline std::string read_test_event(const std::string& name) {
  std::ifstream in(std::string(CARTFLOW_SOURCE_DIR) + "/tests/data/events/" + name,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline InvocationContext context(const std::string& request_id = "req-1") {
  InvocationContext c;
  c.request_id = request_id;
  c.trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  return c;
}

// The cart item as stored now (nullopt when absent).
inline std::optional<Item> read_cart_item(ports::Table& table, const std::string& user,
                                          const std::string& product) {
  auto got = table.get(ports::GetRequest{{{"PK", AttributeValue(domain::user_pk(user))},
                                          {"SK", AttributeValue(domain::cart_item_sk(product))}},
                                         true,
                                         std::nullopt});
  EXPECT_TRUE(got.ok());
  return got.ok() ? *got : std::nullopt;
}

inline std::string s_attr(const std::optional<Item>& item, const std::string& name) {
  if (!item) return "<absent>";
  auto it = item->find(name);
  if (it == item->end() || it->second.as_s() == nullptr) return "<none>";
  return *it->second.as_s();
}

// Failed identifiers of a batch response; "<unparseable>" when it is not one.
inline std::vector<std::string> failures_of(const std::string& response_json) {
  auto response = events::parse_batch_response(response_json);
  if (!response.ok()) return {"<unparseable>"};
  std::vector<std::string> ids;
  for (const auto& f : response->batch_item_failures) ids.push_back(f.item_identifier);
  return ids;
}

}  // namespace cartflow::functions::testing
