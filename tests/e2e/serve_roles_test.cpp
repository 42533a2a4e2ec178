// SPDX-License-Identifier: Apache-2.0
// `cartflow serve --role api|pipeline` on the embedded backend: an API-only instance takes
// orders without consuming the stream or the queue (a pipeline-only instance started afterwards
// on the same file delivers the order from the start of the stream and marks its items
// ORDERED), and a pipeline-only instance answers /health and /metrics but no API route or page.

#include <gtest/gtest.h>

#include "e2e_fixture.h"
#include "stopped_store.h"

namespace cartflow::e2e {
namespace {

using std::chrono::seconds;

std::string cart_item_status(const std::string& db, const std::string& user,
                             const std::string& product) {
  auto store = StoppedStore::open(db);
  if (!store.ok()) return "<open failed: " + store.error().message + ">";
  return (*store)->cart_item_attribute(user, product, "cartProductStatus");
}

TEST_F(ServeTest, ApiRoleTakesOrdersWithoutConsumingTheStreamOrTheQueue) {
  start_server({"--role", "api"});
  if (HasFatalFailure()) return;
  EXPECT_NE(server->banner().find("Role:    api"), std::string::npos) << server->banner();
  const std::string key = server->banner_key();
  ASSERT_EQ(key.size(), 40u) << server->banner();
  const std::vector<std::string> products = product_ids(key, 1);
  ASSERT_EQ(products.size(), 1u);
  const HttpResponse added = call(port, key, "POST", "/cart/roles1",
                                  R"({"product_id":")" + products[0] + R"(","quantity":1})");
  ASSERT_EQ(added.status, 200) << added.body;
  const HttpResponse order = call(port, key, "POST", "/order", R"({"user_id":"roles1"})");
  ASSERT_EQ(order.status, 201) << order.body;

  // No mapping runs here: /metrics has no mapping series, and after a time in which an `all`
  // instance would have finished the order many times over, the item is not ORDERED.
  const HttpResponse metrics = call(port, "", "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body.find("cartflow_mapping_records_total"), std::string::npos)
      << metrics.body;
  std::this_thread::sleep_for(seconds(2));
  ASSERT_EQ(server->terminate(), 0) << server->log();
  EXPECT_NE(cart_item_status(db, "roles1", products[0]), "ORDERED");

  // The record is still ahead of the stream checkpoint and nothing was queued or consumed: a
  // pipeline-only instance delivers it through both mappings.
  start_server({"--role", "pipeline"});
  if (HasFatalFailure()) return;
  const PipelineState drained = wait_pipeline_drained(port, "", 1, seconds(60));
  EXPECT_GE(drained.stream_records, 1) << "stream checkpoint advanced without the pipeline";
  EXPECT_EQ(drained.queue_records, 1);
  EXPECT_EQ(drained.errors, 0);
  ASSERT_EQ(server->terminate(), 0) << server->log();
  EXPECT_EQ(cart_item_status(db, "roles1", products[0]), "ORDERED");
}

TEST_F(ServeTest, PipelineRoleAnswersHealthAndMetricsButNoApiRoute) {
  const CreatedKey key = create_key(dir.path(), db);
  ASSERT_FALSE(key.secret.empty());
  start_server({"--role", "pipeline"});
  if (HasFatalFailure()) return;
  EXPECT_TRUE(server->banner_key().empty()) << server->banner();  // no key made or shown

  const std::pair<const char*, const char*> refused[] = {
      {"GET", "/products?limit=1"}, {"GET", "/Dev/products"}, {"POST", "/loadProducts"},
      {"GET", "/cart/u1"},          {"POST", "/order"},       {"GET", "/"},
      {"GET", "/console"},          {"GET", "/openapi.json"}};
  for (const auto& [method, target] : refused) {
    const HttpResponse r =
        call(port, key.secret, method, target,
             std::string(method) == "POST" ? std::optional<std::string>(R"({"user_id":"u1"})")
                                           : std::nullopt);
    EXPECT_EQ(r.status, 404) << method << " " << target << ": " << r.body;
    EXPECT_NE(r.body.find("pipeline only"), std::string::npos) << r.body;
  }
  const HttpResponse health = call(port, "", "GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json_string("status"), "ok") << health.body;
  const HttpResponse metrics = call(port, "", "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_TRUE(metric_value(metrics.body, R"(cartflow_mapping_records_total{mapping="OrderQueue"})"))
      << metrics.body;
  EXPECT_EQ(server->terminate(), 0) << server->log();
}

}  // namespace
}  // namespace cartflow::e2e
