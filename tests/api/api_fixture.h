// SPDX-License-Identifier: Apache-2.0
#pragma once

// The api handler on a real embedded store (SQLite table in a temp folder, the app's table
// description), called with full API Gateway REST proxy v1 events as Lambda delivers them
// (stage Dev, requestContext, multiValueHeaders). A fault-injecting Table decorator lets tests
// make the store fail. dump() reads every stored row of the table, its GSI entries and its
// stream records straight from SQLite: the "nothing written" check.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "embedded/database.h"
#include "embedded/sqlite.h"
#include "embedded/sqlite_table.h"
#include "events/api_gateway.h"
#include "functions/api.h"
#include "functions/api_router.h"
#include "functions/api_table.h"
#include "model/dynamo_json.h"
#include "ports/clock.h"
#include "support/embedded_store.h"
#include "support/faulty_table.h"
#include "support/temp_dir.h"

namespace cartflow::api_testing {

using support::FaultyTable;
using support::TableOp;
using support::TempDir;

using model::AttributeValue;
using model::Item;

struct Response {
  int status = 0;
  events::ApiGatewayResponse raw;
  Item body;  // the parsed JSON object (empty when the body is not an object)

  std::string str(std::string_view field) const {
    auto it = body.find(field);
    return it != body.end() && it->second.as_s() != nullptr ? *it->second.as_s() : std::string();
  }
  std::int64_t num(std::string_view field) const {
    auto it = body.find(field);
    if (it == body.end() || it->second.as_n() == nullptr) return -1;
    auto v = it->second.as_n()->to_int64();
    return v.ok() ? *v : -1;
  }
  const model::List& list(std::string_view field) const {
    static const model::List kEmpty;
    auto it = body.find(field);
    return it != body.end() && it->second.as_l() != nullptr ? *it->second.as_l() : kEmpty;
  }
};

struct RequestSpec {
  std::string method;
  std::string path;
  std::optional<std::string> body;
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> query;
  bool base64 = false;
};

// The resource API Gateway would report for `path` (the matched template), "/{proxy+}" else.
inline std::string resource_of(const std::string& method, const std::string& path) {
  auto m = functions::match_route(method, path);
  if (m.route != nullptr) return std::string(m.route->path_template);
  return "/{proxy+}";
}

// A full REST proxy v1 event, as Lambda delivers it from stage Dev.
inline events::ApiGatewayRequest make_request(const RequestSpec& spec) {
  static std::atomic<int> counter{0};
  events::ApiGatewayRequest r;
  r.resource = resource_of(spec.method, spec.path);
  r.path = spec.path;
  r.http_method = spec.method;
  r.headers = {{"Accept", "application/json"},
               {"Host", "abc123.execute-api.us-east-1.amazonaws.com"},
               {"User-Agent", "PostmanRuntime/7.36.0"},
               {"X-Amzn-Trace-Id", "Root=1-65f0a1b2-0123456789abcdef01234567"},
               {"X-Forwarded-For", "203.0.113.7"},
               {"X-Forwarded-Port", "443"},
               {"X-Forwarded-Proto", "https"},
               {"x-api-key", "test-key-0123456789"}};
  if (spec.body) r.headers["Content-Type"] = "application/json";
  for (const auto& [k, v] : spec.headers) r.headers[k] = v;
  for (const auto& [k, v] : r.headers) r.multi_value_headers[k] = {v};
  for (const auto& [k, v] : spec.query) {
    r.query_string_parameters[k] = v;
    r.multi_value_query_string_parameters[k] = {v};
  }
  auto m = functions::match_route(spec.method, spec.path);
  for (const auto& p : m.params) r.path_parameters[std::string(p.name)] = p.value;
  auto& c = r.request_context;
  c.request_id = "req-" + std::to_string(++counter);
  c.stage = "Dev";
  c.resource_path = r.resource;
  c.http_method = spec.method;
  c.path = "/Dev" + spec.path;
  c.account_id = "123456789012";
  c.api_id = "abc123";
  c.source_ip = "203.0.113.7";
  c.api_key = "test-key-0123456789";
  c.user_agent = "PostmanRuntime/7.36.0";
  c.request_time_epoch = 1'700'000'000'000;
  r.body = spec.body;
  r.is_base64_encoded = spec.base64;
  return r;
}

// One stored row: encoded keys and item bytes.
struct Row {
  std::string pk, sk, item;
  bool operator==(const Row&) const = default;
};
struct Dump {
  std::vector<Row> items;
  std::int64_t gsi_entries = 0;
  std::int64_t stream_records = 0;
  bool operator==(const Dump&) const = default;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store_.open({.file = "api.db", .table = functions::table_description("cartflow")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    faulty_ = std::make_unique<FaultyTable>(*table_);
    handler_ = std::make_unique<functions::ApiHandler>(*faulty_, clock_);
  }

  // Sends the request as event JSON through Handler::invoke and parses the response.
  Response send(const RequestSpec& spec) {
    std::string event = events::to_json(make_request(spec));
    return send_event(event);
  }
  Response send_event(const std::string& event) {
    functions::InvocationContext context;
    context.request_id = "lambda-request";
    auto out = handler_->invoke(event, context);
    Response r;
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    if (!out.ok()) return r;
    auto parsed = events::parse_api_gateway_response(*out);
    EXPECT_TRUE(parsed.ok()) << *out;
    if (!parsed.ok()) return r;
    r.raw = std::move(*parsed);
    r.status = r.raw.status_code;
    auto body = model::parse_plain_json(r.raw.body);
    if (body.ok() && body->as_m() != nullptr) r.body = std::move(*body->as_m());
    return r;
  }
  Response get(const std::string& path, std::map<std::string, std::string> query = {}) {
    return send({"GET", path, std::nullopt, {}, std::move(query)});
  }
  Response post(const std::string& path, std::optional<std::string> body,
                std::map<std::string, std::string> headers = {}) {
    return send({"POST", path, std::move(body), std::move(headers), {}});
  }

  Response load() { return post("/loadProducts", std::nullopt); }
  // The first n product ids of the sample catalog, in key order.
  std::vector<std::string> product_ids() {
    auto r = get("/products");
    std::vector<std::string> ids;
    for (const auto& p : r.list("products")) ids.push_back(*p.as_m()->find("productId")->second.as_s());
    return ids;
  }
  std::int64_t price_of(const std::string& product_id) {
    auto r = get("/products/" + product_id);
    return r.num("price");
  }
  Response add(const std::string& user, const std::string& product, int quantity,
               std::map<std::string, std::string> headers = {}) {
    return post("/cart/" + user,
                "{\"product_id\":\"" + product + "\",\"quantity\":" + std::to_string(quantity) + "}",
                std::move(headers));
  }

  Dump dump() {
    Dump d;
    auto s = db_->read([&](embedded::Connection& c) -> model::Status {
      auto items = c.prepare("SELECT pk, sk, item FROM items ORDER BY tbl, pk, sk");
      if (!items.ok()) return std::move(items).error();
      while (true) {
        auto row = (*items)->step();
        if (!row.ok()) return std::move(row).error();
        if (!*row) break;
        d.items.push_back(Row{(*items)->column_text(0), (*items)->column_text(1),
                              (*items)->column_text(2)});
      }
      for (auto [sql, out] : {std::pair<const char*, std::int64_t*>{"SELECT count(*) FROM gsi_entries", &d.gsi_entries},
                              {"SELECT count(*) FROM stream_records", &d.stream_records}}) {
        auto st = c.prepare(sql);
        if (!st.ok()) return std::move(st).error();
        auto row = (*st)->step();
        if (!row.ok()) return std::move(row).error();
        *out = (*st)->column_int(0);
      }
      return {};
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return d;
  }

  std::optional<Item> stored(const std::string& pk, const std::string& sk) {
    auto r = table_->get(ports::GetRequest{Item{{"PK", pk}, {"SK", sk}}, true, std::nullopt});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  }

  support::EmbeddedStore store_{1'714'564'800'000};  // 2024-05-01T12:00:00.000Z
  // Short names for the parts of store_ the tests use.
  ports::ManualClock& clock_ = store_.clock;
  std::unique_ptr<embedded::Database>& db_ = store_.db;
  std::unique_ptr<embedded::SqliteTable>& table_ = store_.table;
  std::unique_ptr<FaultyTable> faulty_;
  std::unique_ptr<functions::ApiHandler> handler_;
};

// An ApiTest whose catalog is loaded (POST /loadProducts); ids_ are its product ids.
class CatalogApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(load().status, 200);
    ids_ = product_ids();
  }
  std::vector<std::string> ids_;
};

}  // namespace cartflow::api_testing
