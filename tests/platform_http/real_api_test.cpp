// SPDX-License-Identifier: Apache-2.0
// The real `api` handler behind the local API Gateway and HTTP server, on the embedded table,
// over a real socket: what `cartflow serve` wires together.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "embedded/sqlite_table.h"
#include "fixtures.h"
#include "functions/api.h"
#include "functions/api_table.h"
#include "platform/api_gateway.h"
#include "platform/http_server.h"

namespace cartflow::platform {
namespace {

using testing::Client;
using testing::get;
using testing::TempDatabase;

TEST(RealApiOverHttp, HealthProductsAndKeysBehaveAsOnAws) {
  TempDatabase tmp;
  ports::SystemClock clock;
  embedded::Database& db = tmp.open();
  embedded::SqliteTable table(db, functions::table_description("cartflow"), clock);
  functions::ApiHandler api(table, clock);
  auto keys = ApiKeyStore::open(db, clock);
  ASSERT_TRUE(keys.ok());
  auto created = (*keys)->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok());
  MetricsRegistry metrics;
  ApiGateway gateway(api, keys->get(), clock, metrics);
  HttpServerOptions o;
  o.port = 0;
  o.error_page = gateway.http_error_page();
  HttpServer server(o, gateway.http_handler());
  ASSERT_TRUE(server.start().ok());

  Client c(server.port());
  ASSERT_TRUE(c.send(get("/Dev/health")));
  auto health = c.read_response();
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200) << health->body;

  ASSERT_TRUE(c.send(get("/Dev/products")));
  auto forbidden = c.read_response();
  ASSERT_TRUE(forbidden.has_value());
  EXPECT_EQ(forbidden->status, 403);

  ASSERT_TRUE(c.send(get("/Dev/products", "x-api-key: " + created->secret + "\r\n")));
  auto products = c.read_response();
  ASSERT_TRUE(products.has_value());
  EXPECT_EQ(products->status, 200) << products->body;
  EXPECT_NO_THROW((void)boost::json::parse(products->body)) << products->body;
  EXPECT_TRUE(products->header("x-amzn-RequestId").has_value());

  ASSERT_TRUE(c.send(get("/products/no-such-product", "x-api-key: " + created->secret + "\r\n")));
  auto missing = c.read_response();
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404) << missing->body;
  server.stop();
}

}  // namespace
}  // namespace cartflow::platform
