// SPDX-License-Identifier: Apache-2.0
// `cartflow serve --backend aws` end to end: the real program against DynamoDB Local (table and
// stream) and local-aws-sqs (queues), all on 127.0.0.1 and started here. The reference workflow
// over HTTP, then the pipeline (DynamoDB Streams -> process-cart-products -> SQS ->
// update-cart-status -> DynamoDB) empties the cart; items are checked in DynamoDB itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "aws/dynamodb_table.h"
#include "aws_peers.h"
#include "domain/keys.h"
#include "e2e_fixture.h"
#include "functions/api_table.h"

namespace cartflow::e2e {
namespace {

using std::chrono::seconds;

class ServeAwsTest : public AwsPeersTest {
 protected:
  void SetUp() override {
    AwsPeersTest::SetUp();
    if (HasFatalFailure()) return;
    const std::string suffix = std::to_string(++runs_);
    table_ = "Cartflow" + suffix;
    ::setenv("TABLE_NAME", table_.c_str(), 1);
    ::setenv("UPDATE_CART_PRODUCT_SQS", ("Orders" + suffix).c_str(), 1);
    ::setenv("CARTFLOW_API_KEYS_TABLE", ("Keys" + suffix).c_str(), 1);
  }

  void TearDown() override {
    if (HasFailure() && server) std::cerr << "--- cartflow serve stderr ---\n" << server->log();
    for (const char* name : {"TABLE_NAME", "UPDATE_CART_PRODUCT_SQS", "CARTFLOW_API_KEYS_TABLE"}) {
      ::unsetenv(name);
    }
  }

  void start_server() {
    server = start_instance("state.db", {});
    ASSERT_NE(server, nullptr);
    port = server->port();
  }

  // `serve --backend aws --create-missing extra...` with its own local state file; fails the
  // test (and returns nullptr) when it does not come up.
  std::unique_ptr<ServeProcess> start_instance(const std::string& state,
                                               const std::vector<std::string>& extra) {
    std::string error;
    std::vector<std::string> args = {"--backend", "aws", "--create-missing"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto instance = ServeProcess::start(dir.path(), dir.file(state), error, args, seconds(90));
    EXPECT_NE(instance, nullptr) << error;
    return instance;
  }

  // Loads the catalog through the API at `at`, puts two products in user's cart and orders them:
  // the products and the order's id (empty on a failure, which is reported).
  std::pair<std::vector<std::string>, std::string> order_two_products(std::uint16_t at,
                                                                      const std::string& key,
                                                                      const std::string& user) {
    const HttpResponse load = call(at, key, "POST", "/loadProducts");
    EXPECT_EQ(load.status, 200) << load.body << load.error;
    const HttpResponse listed = call(at, key, "GET", "/products?limit=2");
    EXPECT_EQ(listed.status, 200) << listed.body;
    std::vector<std::string> products;
    const boost::json::value listed_json = listed.json();  // outlives the loop
    if (!listed_json.is_object()) return {};
    for (const auto& p : listed_json.at("products").as_array()) {
      products.emplace_back(p.at("productId").as_string());
    }
    EXPECT_EQ(products.size(), 2u) << listed.body;
    for (const std::string& p : products) {
      const HttpResponse added = call(at, key, "POST", "/cart/" + user,
                                      R"({"product_id":")" + p + R"(","quantity":2})");
      EXPECT_EQ(added.status, 200) << added.body;
    }
    const HttpResponse order = call(at, key, "POST", "/order", R"({"user_id":")" + user + "\"}");
    EXPECT_EQ(order.status, 201) << order.body;
    const std::string order_id = order.json_string("order_id");
    EXPECT_FALSE(order_id.empty()) << order.body;
    return {products, order_id};
  }

  // Waits (bounded: DynamoDB Local's stream and the mappings' polling on a busy machine) until
  // every product of user's cart is ORDERED, then checks each carries `order_id`.
  void expect_all_ordered(const std::string& user, const std::vector<std::string>& products,
                          const std::string& order_id) {
    auto all_ordered = [&] {
      for (const std::string& p : products) {
        if (cart_item_attribute(user, p, "cartProductStatus") != "ORDERED") return false;
      }
      return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + seconds(90);
    while (!all_ordered() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    for (const std::string& p : products) {
      EXPECT_EQ(cart_item_attribute(user, p, "cartProductStatus"), "ORDERED") << p;
      EXPECT_EQ(cart_item_attribute(user, p, "order_id"), order_id) << p;
    }
  }

  // A cart item's attribute read from DynamoDB Local; "" when absent.
  std::string cart_item_attribute(const std::string& user, const std::string& product,
                                  const std::string& name) {
    aws::DynamoDbTable table(peers_->dynamodb.client(), functions::table_description(table_));
    auto item = table.get({.key = {{"PK", domain::user_pk(user)}, {"SK", domain::cart_item_sk(product)}}});
    if (!item.ok() || !*item) return "";
    auto it = (*item)->find(name);
    return it == (*item)->end() || !it->second.is_s() ? "" : *it->second.as_s();
  }

  static int runs_;
  TempDir dir;
  std::string table_;
  std::unique_ptr<ServeProcess> server;
  std::uint16_t port = 0;
};

int ServeAwsTest::runs_ = 0;

TEST_F(ServeAwsTest, ReferenceFlowThenPipelineEmptiesTheCart) {
  start_server();
  if (HasFatalFailure()) return;
  const std::string key = server->banner_key();
  ASSERT_EQ(key.size(), 40u) << server->banner();

  const auto [products, order_id] = order_two_products(port, key, "user1");
  ASSERT_FALSE(order_id.empty());

  // The order claims the cart's items at once (GET /cart no longer lists them); the pipeline
  // then marks each ORDERED with the order's id.
  const HttpResponse cart = call(port, key, "GET", "/cart/user1");
  ASSERT_EQ(cart.status, 200) << cart.body;
  EXPECT_TRUE(cart.json().at("cart_items").as_array().empty()) << cart.body;
  expect_all_ordered("user1", products, order_id);
  const HttpResponse fetched = call(port, key, "GET", "/orders/" + order_id);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.json().at("order_items").as_array().size(), 2u);

  const HttpResponse metrics = call(port, key, "GET", "/metrics");
  EXPECT_EQ(metric_value(metrics.body, R"(cartflow_mapping_errors_total{mapping="OrderStream"})"), 0)
      << metrics.body;
  EXPECT_EQ(server->terminate(), 0) << server->log();
}

// Two instances on one stack, each with its own local state file: the API on one, the pipeline
// on the other. The API instance never reads the stream or the queue; the order reaches ORDERED
// through the pipeline instance alone.
TEST_F(ServeAwsTest, ApiInstanceAndPipelineInstanceCarryAnOrderToOrdered) {
  auto api = start_instance("api.db", {"--role", "api"});
  ASSERT_NE(api, nullptr);
  auto pipeline = start_instance("pipeline.db", {"--role", "pipeline"});
  ASSERT_NE(pipeline, nullptr);
  const std::string key = api->banner_key();
  ASSERT_EQ(key.size(), 40u) << api->banner();
  EXPECT_EQ(call(pipeline->port(), key, "GET", "/products?limit=1").status, 404);

  const auto [products, order_id] = order_two_products(api->port(), key, "user2");
  ASSERT_FALSE(order_id.empty());
  expect_all_ordered("user2", products, order_id);

  const HttpResponse api_metrics = call(api->port(), "", "GET", "/metrics");
  EXPECT_EQ(api_metrics.body.find("cartflow_mapping_records_total"), std::string::npos)
      << api_metrics.body;
  // The items are ORDERED inside the batch; the mapping counts it as the batch returns.
  HttpResponse pipeline_metrics;
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  do {
    pipeline_metrics = call(pipeline->port(), "", "GET", "/metrics");
    if (metric_value(pipeline_metrics.body,
                     R"(cartflow_mapping_records_total{mapping="OrderQueue"})") == 1) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(metric_value(pipeline_metrics.body,
                         R"(cartflow_mapping_records_total{mapping="OrderQueue"})"),
            1)
      << pipeline_metrics.body;
  EXPECT_EQ(metric_value(pipeline_metrics.body,
                         R"(cartflow_mapping_errors_total{mapping="OrderStream"})"),
            0)
      << pipeline_metrics.body;
  EXPECT_EQ(api->terminate(), 0) << api->log();
  EXPECT_EQ(pipeline->terminate(), 0) << pipeline->log();
}

// API keys in DynamoDB: a key made by `cartflow keys create --backend aws` works on every API
// instance at once, and its revocation reaches each within the refresh interval (10 s).
TEST_F(ServeAwsTest, KeysAreSharedByEveryApiInstance) {
  auto first = start_instance("api1.db", {"--role", "api"});
  ASSERT_NE(first, nullptr);
  auto second = start_instance("api2.db", {"--role", "api"});
  ASSERT_NE(second, nullptr);
  // The first instance made the first key; the second found it in the table.
  const std::string banner_key = first->banner_key();
  ASSERT_EQ(banner_key.size(), 40u) << first->banner();
  EXPECT_EQ(second->banner_key(), "$KEY") << second->banner();
  EXPECT_EQ(call(second->port(), banner_key, "GET", "/products?limit=1").status, 200);

  const CreatedKey key = create_key(dir.path(), dir.file("unused.db"),
                                    {"--backend", "aws", "--name", "shared"});
  ASSERT_EQ(key.secret.size(), 40u);
  for (ServeProcess* instance : {first.get(), second.get()}) {
    EXPECT_EQ(call(instance->port(), key.secret, "GET", "/products?limit=1").status, 200);
  }
  const CommandResult revoked =
      run_cartflow(dir.path(), {"keys", "revoke", key.id, "--backend", "aws"}, seconds(60));
  ASSERT_EQ(revoked.exit_code, 0) << revoked.out << revoked.err;
  for (ServeProcess* instance : {first.get(), second.get()}) {
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + seconds(20);
    while ((status = call(instance->port(), key.secret, "GET", "/products?limit=1").status) == 200 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    EXPECT_EQ(status, 403);
  }
  const CommandResult listed =
      run_cartflow(dir.path(), {"keys", "list", "--backend", "aws"}, seconds(60));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("shared"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("revoked"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(key.secret), std::string::npos);
  EXPECT_EQ(first->terminate(), 0) << first->log();
  EXPECT_EQ(second->terminate(), 0) << second->log();
}

TEST_F(ServeAwsTest, MissingTableIsAClearErrorWithoutCreateMissing) {
  std::string error;
  server = ServeProcess::start(dir.path(), dir.file("state.db"), error, {"--backend", "aws"},
                               seconds(60));
  EXPECT_EQ(server, nullptr);
  EXPECT_NE(error.find(table_), std::string::npos) << error;
}

TEST_F(ServeAwsTest, InvokeRunsOneHandlerAgainstTheTable) {
  start_server();  // creates the table and the queues
  if (HasFatalFailure()) return;
  ASSERT_EQ(server->terminate(), 0) << server->log();
  const CommandResult loaded =
      run_cartflow(dir.path(), {"invoke", "api", "--backend", "aws", "--event",
                                std::string(CARTFLOW_SOURCE_DIR) +
                                    "/tests/data/events/api_load_products.json"},
                   seconds(60));
  EXPECT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  EXPECT_NE(loaded.out.find("\"statusCode\":200"), std::string::npos) << loaded.out;
}

}  // namespace
}  // namespace cartflow::e2e
