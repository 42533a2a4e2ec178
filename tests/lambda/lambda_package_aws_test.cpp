// SPDX-License-Identifier: Apache-2.0
// The x86_64 package of `make lambda` in an otherwise empty root, on the AWS backend: what a
// deployed stack runs. The bootstrap reaches DynamoDB Local and local-aws-sqs (started here on
// 127.0.0.1; a chroot keeps the network) through the endpoint variables the AWS SDKs read, with
// credentials from the environment as Lambda gives them. Each handler's effect is checked in
// DynamoDB and SQS themselves. Also prints the start and memory figures for this backend
// (docs/DEPLOY.md). Skips without the zip or without root.

#include <gtest/gtest.h>

#include <iostream>

#include "aws/dynamodb_table.h"
#include "aws/sqs_queue.h"
#include "domain/keys.h"
#include "domain/product.h"
#include "dynamodb_local.h"
#include "functions/api_table.h"
#include "lambda_events.h"
#include "lambda_process.h"
#include "package_root.h"
#include "runtime_emulator.h"
#include "sqs_local.h"

namespace cartflow::tests {
namespace {

using model::AttributeValue;
using model::Item;

constexpr const char* kTable = "CartflowPackage";
constexpr const char* kQueue = "CartflowPackageOrders";

std::string api_get_product_event(const std::string& product_id) {
  return R"({"resource":"/products/{product_id}","path":"/products/)" + product_id +
         R"(","httpMethod":"GET","headers":{"Accept":"application/json"},"multiValueHeaders":{},)"
         R"("queryStringParameters":null,"multiValueQueryStringParameters":null,)"
         R"("pathParameters":{"product_id":")" + product_id + R"("},"stageVariables":null,)"
         R"("requestContext":{"resourcePath":"/products/{product_id}","httpMethod":"GET","stage":"Dev",)"
         R"("requestId":"req-get-1","identity":{"sourceIp":"127.0.0.1"}},"body":null,"isBase64Encoded":false})";
}

// A catalog product as stored (keys included).
Item product(const std::string& id, const std::string& name, std::int64_t price) {
  auto item = domain::product_item({{"productId", id}, {"name", name}, {"price", AttributeValue::integer(price)}},
                                   "product");
  return std::get<Item>(item);
}

class LambdaPackageAwsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(zip()) || !can_chroot()) return;
    dynamodb_ = new aws::testing::DynamoDbLocal();
    sqs_ = new aws::testing::SqsLocal(aws::testing::SqsPeer::kLocalAwsSqs);
    if (!dynamodb_->error().empty() || !sqs_->error().empty()) return;
    auto queue_url = aws::create_queue(sqs_->client(), kQueue);
    created_ = aws::create_table(dynamodb_->client(), functions::table_description(kTable)).ok() && queue_url.ok();
    if (queue_url.ok()) queue_url_ = *queue_url;
  }
  static void TearDownTestSuite() {
    delete sqs_;
    delete dynamodb_;
    sqs_ = nullptr;
    dynamodb_ = nullptr;
  }

  void SetUp() override {
    if (!fs::exists(zip())) GTEST_SKIP() << zip() << " missing: run `make lambda`";
    if (!can_chroot()) GTEST_SKIP() << "needs root for chroot";
    ASSERT_TRUE(dynamodb_->error().empty()) << dynamodb_->error();
    ASSERT_TRUE(sqs_->error().empty()) << sqs_->error();
    ASSERT_TRUE(created_) << "could not create the table and the queue";
  }

  static std::string zip() { return zip_path("CARTFLOW_LAMBDA_ZIP_X86_64", "cartflow-x86_64.zip"); }

  // Lambda's environment with the AWS backend (the default) on the local peers.
  static std::map<std::string, std::string> aws_env(const RuntimeEmulator& emulator, const std::string& handler) {
    auto env = lambda_env(emulator, handler);
    env.erase("CARTFLOW_BACKEND");
    env["TABLE_NAME"] = kTable;
    env["UPDATE_CART_PRODUCT_SQS"] = queue_url_;  // the URL, as the template's !Ref gives it
    env["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb_->url();
    env["AWS_ENDPOINT_URL_SQS"] = sqs_->url();
    env["AWS_ACCESS_KEY_ID"] = "test";
    env["AWS_SECRET_ACCESS_KEY"] = "test";
    env["AWS_SESSION_TOKEN"] = "test-session";
    return env;
  }

  aws::DynamoDbTable table() { return {dynamodb_->client(), functions::table_description(kTable)}; }

  // Runs `event` through a fresh bootstrap of `handler`; the answer's body ("" on no answer).
  std::string invoke_once(PackageRoot& root, const std::string& handler, const std::string& event) {
    RuntimeEmulator emulator;
    ChildProcess child = spawn({"/var/task/bootstrap"}, aws_env(emulator, handler), root.path().string());
    EXPECT_GT(child.pid, 0);
    const std::string id = emulator.enqueue(event);
    auto out = emulator.wait_outcome(id, std::chrono::seconds(60));
    kill_child(child);
    if (!out) return "";
    EXPECT_FALSE(out->is_error) << out->body;
    return out->body;
  }

  static inline aws::testing::DynamoDbLocal* dynamodb_ = nullptr;
  static inline aws::testing::SqsLocal* sqs_ = nullptr;
  static inline bool created_ = false;
  static inline std::string queue_url_;
};

TEST_F(LambdaPackageAwsTest, EachHandlerDoesItsWorkOnDynamoDbAndSqs) {
  PackageRoot root(zip(), "aws");
  ASSERT_TRUE(root.ok());
  auto store = table();

  // api: a product written to DynamoDB is served by GET /products/{id}.
  ASSERT_TRUE(store.put({product("p-1", "Desk lamp", 1999)}).ok());
  const std::string api = invoke_once(root, "api", api_get_product_event("p-1"));
  EXPECT_NE(api.find(success_marker("api")), std::string::npos) << api;
  EXPECT_NE(api.find("Desk lamp"), std::string::npos) << api;

  // process-cart-products: the ORDERED order of the stream event lands in the SQS queue.
  const std::string processed = invoke_once(root, "process-cart-products", stream_event());
  EXPECT_NE(processed.find(success_marker("process-cart-products")), std::string::npos) << processed;
  auto queue = aws::SqsQueue::open(sqs_->client(), kQueue);
  ASSERT_TRUE(queue.ok());
  auto received = (*queue)->receive({.max_messages = 10, .wait = std::chrono::seconds(2)});
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1u);
  EXPECT_NE(received->front().body.find("ord-1"), std::string::npos) << received->front().body;

  // update-cart-status: the order's pending cart items become ORDERED in DynamoDB.
  for (const auto& [product_id, added_on] : {std::pair{"p-1", "2023-03-01T09:58:00.000Z"},
                                             std::pair{"p-2", "2023-03-01T09:59:00.000Z"}}) {
    Item cart_item{{"PK", domain::user_pk("user-42")}, {"SK", domain::cart_item_sk(product_id)},
                   {"cartProductStatus", std::string(domain::kStatusPending)}, {"addedOn", added_on}};
    ASSERT_TRUE(store.put({cart_item}).ok());
  }
  const std::string updated = invoke_once(root, "update-cart-status", sqs_event());
  EXPECT_NE(updated.find(success_marker("update-cart-status")), std::string::npos) << updated;
  for (const char* product_id : {"p-1", "p-2"}) {
    auto item = store.get({.key = {{"PK", domain::user_pk("user-42")}, {"SK", domain::cart_item_sk(product_id)}}});
    ASSERT_TRUE(item.ok() && item->has_value()) << product_id;
    EXPECT_EQ((**item).at("cartProductStatus"), AttributeValue(std::string(domain::kStatusOrdered))) << product_id;
    EXPECT_EQ((**item).at("order_id"), AttributeValue("ord-1")) << product_id;
  }
}

// The figures of docs/DEPLOY.md for the AWS backend. Asserts only that every start and
// invocation worked.
TEST_F(LambdaPackageAwsTest, StartTimeAndMemory) {
  PackageRoot root(zip(), "aws-measure");
  ASSERT_TRUE(root.ok());
  // Measured as Lambda starts it: system libraries in /lib64 and /usr/lib64 (not loaded).
  ASSERT_GE(root.add_system_libraries(), 9);
  ASSERT_TRUE(table().put({product("p-9", "Mug", 899)}).ok());

  const StartTimes starts =
      measure_starts(root, [](const RuntimeEmulator& emulator) { return aws_env(emulator, "api"); });
  ASSERT_TRUE(starts.error.empty()) << starts.error;

  RuntimeEmulator emulator;
  ChildProcess child = spawn({"/var/task/bootstrap"}, aws_env(emulator, "api"), root.path().string());
  ASSERT_TRUE(emulator.wait_first_next(std::chrono::seconds(60)).has_value());
  const long rss_before = rss_kib(child.pid);
  std::vector<std::string> missing;
  const auto foreign = foreign_shared_objects(child.pid, root.path(), "ld-linux-x86-64.so.2", missing);
  EXPECT_TRUE(foreign.empty()) << "loaded from outside the package: " << foreign.front();
  EXPECT_TRUE(missing.empty()) << "not mapped: " << missing.front();
  const auto t0 = std::chrono::steady_clock::now();
  std::string last;
  for (int i = 0; i < 1000; ++i) {
    last = emulator.enqueue(api_get_product_event("p-9"));
    if (i % 100 == 99) {
      auto out = emulator.wait_outcome(last, std::chrono::seconds(120));
      ASSERT_TRUE(out.has_value());
      ASSERT_NE(out->body.find("Mug"), std::string::npos) << out->body;
    }
  }
  const double per_invocation_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 1000;
  const long rss_after = rss_kib(child.pid);
  kill_child(child);
  std::cout << "lambda-figures (aws backend): exec-to-first-/next median of 20, system libraries in /lib64 (ms): " << starts.median_ms
            << " (min " << starts.min_ms << ", max " << starts.max_ms << ")\n"
            << "lambda-figures (aws backend): RSS at first /next (KiB): " << rss_before
            << "; after 1000 GET /products/{id} on DynamoDB Local (KiB): " << rss_after
            << "; mean time per invocation (ms): " << per_invocation_ms << "\n";
  EXPECT_GT(rss_after, 0);
}

}  // namespace
}  // namespace cartflow::tests
