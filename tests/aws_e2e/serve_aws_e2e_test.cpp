// SPDX-License-Identifier: Apache-2.0
// `cartflow serve --backend aws` end to end: the real program against DynamoDB Local (table and
// stream) and local-aws-sqs (queues), all on 127.0.0.1 and started here. The reference workflow
// over HTTP, then the pipeline (DynamoDB Streams -> process-cart-products -> SQS ->
// update-cart-status -> DynamoDB) empties the cart; items are checked in DynamoDB itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "aws/dynamodb_table.h"
#include "domain/keys.h"
#include "dynamodb_local.h"
#include "e2e_fixture.h"
#include "functions/api_table.h"
#include "sqs_local.h"

namespace cartflow::e2e {
namespace {

using std::chrono::seconds;

class ServeAwsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dynamodb_ = new aws::testing::DynamoDbLocal();
    sqs_ = new aws::testing::SqsLocal(aws::testing::SqsPeer::kLocalAwsSqs);
  }
  static void TearDownTestSuite() {
    delete sqs_;
    delete dynamodb_;
  }

  void SetUp() override {
    ASSERT_TRUE(dynamodb_->error().empty()) << dynamodb_->error();
    ASSERT_TRUE(sqs_->error().empty()) << sqs_->error();
    // The child inherits this environment: it reads it as the AWS SDKs do.
    ::setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_->url().c_str(), 1);
    ::setenv("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", dynamodb_->url().c_str(), 1);
    ::setenv("AWS_ENDPOINT_URL_SQS", sqs_->url().c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "test", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
    const std::string suffix = std::to_string(++runs_);
    table_ = "Cartflow" + suffix;
    ::setenv("TABLE_NAME", table_.c_str(), 1);
    ::setenv("UPDATE_CART_PRODUCT_SQS", ("Orders" + suffix).c_str(), 1);
  }

  void TearDown() override {
    if (HasFailure() && server) std::cerr << "--- cartflow serve stderr ---\n" << server->log();
    for (const char* name : {"TABLE_NAME", "UPDATE_CART_PRODUCT_SQS"}) ::unsetenv(name);
  }

  void start_server() {
    std::string error;
    server = ServeProcess::start(dir.path(), dir.file("state.db"), error,
                                 {"--backend", "aws", "--create-missing"}, seconds(90));
    ASSERT_NE(server, nullptr) << error;
    port = server->port();
  }

  // A cart item's attribute read from DynamoDB Local; "" when absent.
  std::string cart_item_attribute(const std::string& user, const std::string& product,
                                  const std::string& name) {
    aws::DynamoDbTable table(dynamodb_->client(), functions::table_description(table_));
    auto item = table.get({.key = {{"PK", domain::user_pk(user)}, {"SK", domain::cart_item_sk(product)}}});
    if (!item.ok() || !*item) return "";
    auto it = (*item)->find(name);
    return it == (*item)->end() || !it->second.is_s() ? "" : *it->second.as_s();
  }

  static aws::testing::DynamoDbLocal* dynamodb_;
  static aws::testing::SqsLocal* sqs_;
  static int runs_;
  TempDir dir;
  std::string table_;
  std::unique_ptr<ServeProcess> server;
  std::uint16_t port = 0;
};

aws::testing::DynamoDbLocal* ServeAwsTest::dynamodb_ = nullptr;
aws::testing::SqsLocal* ServeAwsTest::sqs_ = nullptr;
int ServeAwsTest::runs_ = 0;

TEST_F(ServeAwsTest, ReferenceFlowThenPipelineEmptiesTheCart) {
  start_server();
  if (HasFatalFailure()) return;
  const std::string key = server->banner_key();
  ASSERT_EQ(key.size(), 40u) << server->banner();

  const HttpResponse load = call(port, key, "POST", "/loadProducts");
  ASSERT_EQ(load.status, 200) << load.body << load.error;
  const HttpResponse listed = call(port, key, "GET", "/products?limit=2");
  ASSERT_EQ(listed.status, 200) << listed.body;
  std::vector<std::string> products;
  const boost::json::value listed_json = listed.json();  // outlives the loop
  for (const auto& p : listed_json.at("products").as_array()) {
    products.emplace_back(p.at("productId").as_string());
  }
  ASSERT_EQ(products.size(), 2u) << listed.body;
  for (const std::string& p : products) {
    const HttpResponse added = call(port, key, "POST", "/cart/user1",
                                    R"({"product_id":")" + p + R"(","quantity":2})");
    ASSERT_EQ(added.status, 200) << added.body;
  }
  const HttpResponse order = call(port, key, "POST", "/order", R"({"user_id":"user1"})");
  ASSERT_EQ(order.status, 201) << order.body;
  const std::string order_id = order.json_string("order_id");
  ASSERT_FALSE(order_id.empty()) << order.body;

  // The order claims the cart's items at once (GET /cart no longer lists them); the pipeline
  // then marks each ORDERED with the order's id (bounded: DynamoDB Local's stream and the
  // mappings' polling on a busy machine).
  const HttpResponse cart = call(port, key, "GET", "/cart/user1");
  ASSERT_EQ(cart.status, 200) << cart.body;
  EXPECT_TRUE(cart.json().at("cart_items").as_array().empty()) << cart.body;
  auto all_ordered = [&] {
    for (const std::string& p : products) {
      if (cart_item_attribute("user1", p, "cartProductStatus") != "ORDERED") return false;
    }
    return true;
  };
  const auto deadline = std::chrono::steady_clock::now() + seconds(90);
  while (!all_ordered() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (const std::string& p : products) {
    EXPECT_EQ(cart_item_attribute("user1", p, "cartProductStatus"), "ORDERED") << p;
    EXPECT_EQ(cart_item_attribute("user1", p, "order_id"), order_id) << p;
  }
  const HttpResponse fetched = call(port, key, "GET", "/orders/" + order_id);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.json().at("order_items").as_array().size(), 2u);

  const HttpResponse metrics = call(port, key, "GET", "/metrics");
  EXPECT_EQ(metric_value(metrics.body, R"(cartflow_mapping_errors_total{mapping="OrderStream"})"), 0)
      << metrics.body;
  EXPECT_EQ(server->terminate(), 0) << server->log();
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
