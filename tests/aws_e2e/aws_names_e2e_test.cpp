// SPDX-License-Identifier: Apache-2.0
// cartflow against resources named the way CloudFormation names them
// (`<stack>-UpdateCartProductsSQS-<random>`), on DynamoDB Local and local-aws-sqs started here:
// `serve --backend aws` with the template's environment (the queue by URL), the DLQ found from
// the queue's RedrivePolicy, `--stack-outputs` reading describe-stacks JSON, and the AWS side of
// `dlq list|redrive`, `catalog load` and `status`. Nothing is created with --create-missing: a
// queue or table with a default name would be a fixed-name lookup.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "aws/dynamodb_table.h"
#include "aws_peers.h"
#include "domain/keys.h"
#include "e2e_fixture.h"
#include "functions/api_table.h"
#include "platform/lease_table.h"
#include "platform/table_api_keys.h"

namespace cartflow::e2e {
namespace {

using std::chrono::seconds;

constexpr const char* kResourceVariables[] = {"TABLE_NAME", "UPDATE_CART_PRODUCT_SQS",
                                              "UPDATE_CART_PRODUCT_DLQ",
                                              "ORDER_STREAM_FAILURE_SQS", "CARTFLOW_API_KEYS_TABLE",
                                              "CARTFLOW_LEASES_TABLE"};

class AwsNamesTest : public AwsPeersTest {
 protected:
  void SetUp() override {
    AwsPeersTest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* name : kResourceVariables) ::unsetenv(name);

    // What `sam deploy` of a stack named like this one creates.
    const std::string stack = "cartflow-names-" + std::to_string(++runs_);
    aws::JsonClient& dynamodb = peers_->dynamodb.client();
    table_ = stack + "-EcommerceAppTable-1Q2W3E4R5T6Y";
    ASSERT_TRUE(aws::create_table(dynamodb, functions::table_description(table_)).ok());
    keys_table_ = stack + "-ApiKeysTable-7U8I9O0P1A2S";
    ASSERT_TRUE(
        aws::create_table(dynamodb, platform::api_keys_table_description(keys_table_)).ok());
    leases_table_ = stack + "-LeasesTable-3D4F5G6H7J8K";
    ASSERT_TRUE(
        aws::create_table(dynamodb, platform::lease_table_description(leases_table_)).ok());
    dlq_url_ = create_queue(stack + "-UpdateCartProductsDLQ-AbCdEf123456", {});
    auto dlq_arn = aws::queue_arn(peers_->sqs.client(), dlq_url_);
    ASSERT_TRUE(dlq_arn.ok()) << dlq_arn.error().message;
    queue_url_ = create_queue(
        stack + "-UpdateCartProductsSQS-ZyXwVu987654",
        {{"VisibilityTimeout", "30"},
         {"RedrivePolicy", R"({"deadLetterTargetArn":")" + *dlq_arn + R"(","maxReceiveCount":5})"}});
    failure_url_ = create_queue(stack + "-OrderStreamFailureQueue-Mn0Pq1Rs2Tu3", {});
    outputs_ = dir.file("stack.json");
    write_outputs(outputs_, failure_url_);
  }

  void TearDown() override {
    if (HasFailure() && server) std::cerr << "--- cartflow serve stderr ---\n" << server->log();
    for (const char* name : kResourceVariables) ::unsetenv(name);
  }

  std::string create_queue(const std::string& name,
                           const std::map<std::string, std::string>& attributes) {
    auto url = aws::create_queue(peers_->sqs.client(), name, attributes);
    EXPECT_TRUE(url.ok()) << url.error().message;
    return url.ok() ? *url : std::string();
  }

  // `aws cloudformation describe-stacks --stack-name S` output; no StreamFailureQueueUrl
  // output when `failure_url` is empty.
  void write_outputs(const std::string& path, const std::string& failure_url) {
    std::ofstream out(path);
    out << R"({"Stacks":[{"StackName":"s","StackStatus":"CREATE_COMPLETE","Outputs":[)"
        << R"({"OutputKey":"ApiUrl","OutputValue":"https://x.execute-api.us-east-1.amazonaws.com/Dev"},)"
        << R"({"OutputKey":"TableName","OutputValue":")" << table_ << R"("},)"
        << R"({"OutputKey":"ApiKeysTableName","OutputValue":")" << keys_table_ << R"("},)"
        << R"({"OutputKey":"LeasesTableName","OutputValue":")" << leases_table_ << R"("},)"
        << R"({"OutputKey":"QueueUrl","OutputValue":")" << queue_url_ << R"("},)"
        << R"({"OutputKey":"DeadLetterQueueUrl","OutputValue":")" << dlq_url_ << R"("})";
    if (!failure_url.empty()) {
      out << R"(,{"OutputKey":"StreamFailureQueueUrl","OutputValue":")" << failure_url << R"("})";
    }
    out << "]}]}";
  }

  ports::QueueCounts counts(const std::string& url) {
    aws::SqsQueue queue(peers_->sqs.client(), url);
    auto c = queue.counts();
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? *c : ports::QueueCounts{};
  }

  bool queue_exists(const std::string& name) {
    return aws::SqsQueue::open(peers_->sqs.client(), name).ok();
  }

  std::string cart_item_status(const std::string& user, const std::string& product) {
    aws::DynamoDbTable table(peers_->dynamodb.client(), functions::table_description(table_));
    auto item = table.get({.key = {{"PK", domain::user_pk(user)}, {"SK", domain::cart_item_sk(product)}}});
    if (!item.ok() || !*item) return "";
    auto it = (*item)->find("cartProductStatus");
    return it == (*item)->end() || !it->second.is_s() ? "" : *it->second.as_s();
  }

  std::size_t product_count() {
    aws::DynamoDbTable table(peers_->dynamodb.client(), functions::table_description(table_));
    auto r = table.query({.key_condition = model::KeyCondition::hash("PK", "PRODUCT")});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->items.size() : 0;
  }

  CommandResult cartflow(std::vector<std::string> args) {
    return run_cartflow(dir.path(), args, seconds(60));
  }

  static int runs_;
  TempDir dir;
  std::string table_, keys_table_, leases_table_, queue_url_, dlq_url_, failure_url_, outputs_;
  std::unique_ptr<ServeProcess> server;
};

int AwsNamesTest::runs_ = 0;

TEST_F(AwsNamesTest, ServeWithTheTemplateEnvironmentRunsAnOrderThrough) {
  // As deploy/template.yaml sets them: the table by name, the queue by URL; the DLQ is not
  // given (it is the queue's RedrivePolicy target), the failure queue by its own variable.
  ::setenv("TABLE_NAME", table_.c_str(), 1);
  ::setenv("UPDATE_CART_PRODUCT_SQS", queue_url_.c_str(), 1);
  ::setenv("ORDER_STREAM_FAILURE_SQS", failure_url_.c_str(), 1);
  ::setenv("CARTFLOW_API_KEYS_TABLE", keys_table_.c_str(), 1);  // a local instance's own setting
  ::setenv("CARTFLOW_LEASES_TABLE", leases_table_.c_str(), 1);
  std::string error;
  server = ServeProcess::start(dir.path(), dir.file("state.db"), error, {"--backend", "aws"},
                               seconds(90));
  ASSERT_NE(server, nullptr) << error;
  const std::uint16_t port = server->port();
  const std::string key = server->banner_key();

  ASSERT_EQ(call(port, key, "POST", "/loadProducts").status, 200);
  const HttpResponse listed = call(port, key, "GET", "/products?limit=1");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const boost::json::value listed_json = listed.json();
  const std::string product(listed_json.at("products").as_array().at(0).at("productId").as_string());
  ASSERT_EQ(call(port, key, "POST", "/cart/u1", R"({"product_id":")" + product + R"(","quantity":1})")
                .status,
            200);
  const HttpResponse order = call(port, key, "POST", "/order", R"({"user_id":"u1"})");
  ASSERT_EQ(order.status, 201) << order.body;
  const auto deadline = std::chrono::steady_clock::now() + seconds(90);
  while (cart_item_status("u1", product) != "ORDERED" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(cart_item_status("u1", product), "ORDERED");
  const HttpResponse metrics = call(port, key, "GET", "/metrics");
  // The gauges name the CloudFormation-named queues: the DLQ was found from the RedrivePolicy.
  EXPECT_NE(metrics.body.find("-UpdateCartProductsDLQ-AbCdEf123456"), std::string::npos) << metrics.body;
  EXPECT_EQ(server->terminate(), 0) << server->log();
  // Nothing was looked up, or created, under a fixed name.
  EXPECT_FALSE(queue_exists("UpdateCartProductsDLQ"));
  EXPECT_FALSE(queue_exists("OrderStreamFailureQueue"));
}

TEST_F(AwsNamesTest, StackOutputsAreEnoughForServeAndStatus) {
  std::string error;
  server = ServeProcess::start(dir.path(), dir.file("state.db"), error,
                               {"--backend", "aws", "--stack-outputs", outputs_}, seconds(90));
  ASSERT_NE(server, nullptr) << error;
  EXPECT_EQ(server->terminate(), 0) << server->log();

  const CommandResult status = cartflow({"status", "--backend", "aws", "--stack-outputs", outputs_});
  ASSERT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("(table " + table_ + ")"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("orders " + queue_url_ + ": 0 visible"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("dead-letter " + dlq_url_ + ": 0 visible"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("stream on-failure " + failure_url_), std::string::npos) << status.out;
  // The key serve made at its first start is in the stack's keys table.
  const CommandResult keys = cartflow({"keys", "list", "--backend", "aws", "--stack-outputs", outputs_});
  ASSERT_EQ(keys.exit_code, 0) << keys.out << keys.err;
  EXPECT_NE(keys.out.find("default"), std::string::npos) << keys.out;
}

TEST_F(AwsNamesTest, CatalogLoadWritesTheDynamoDbTable) {
  const CommandResult loaded =
      cartflow({"catalog", "load", "--backend", "aws", "--stack-outputs", outputs_});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  EXPECT_NE(loaded.out.find("loaded 20 products"), std::string::npos) << loaded.out;
  EXPECT_EQ(product_count(), 20u);
  // The table by ARN works too, and loading again is idempotent.
  const CommandResult again = cartflow(
      {"catalog", "load", "--backend", "aws", "--table",
       "arn:aws:dynamodb:us-east-1:000000000000:table/" + table_});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(product_count(), 20u);
}

TEST_F(AwsNamesTest, DlqListThenRedriveMovesEveryMessageBack) {
  aws::SqsQueue dlq(peers_->sqs.client(), dlq_url_);
  for (int i = 0; i < 13; ++i) {  // more than one batch of 10
    ports::SendEntry entry{.id = "e", .body = R"({"order_id":"o)" + std::to_string(i) + R"("})"};
    entry.attributes["origin"] = {.data_type = "String", .string_value = "test-" + std::to_string(i)};
    ASSERT_TRUE(dlq.send(entry).ok());
  }
  const CommandResult listed =
      cartflow({"dlq", "list", "--backend", "aws", "--stack-outputs", outputs_});
  ASSERT_EQ(listed.exit_code, 0) << listed.out << listed.err;
  EXPECT_NE(listed.out.find("13 message(s) in " + dlq_url_), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(R"(body={"order_id":"o12"})"), std::string::npos) << listed.out;
  EXPECT_EQ(counts(dlq_url_).visible, 13) << "list must put the messages back";

  // The orders queue by ARN: its RedrivePolicy still gives the DLQ.
  auto queue_arn = aws::queue_arn(peers_->sqs.client(), queue_url_);
  ASSERT_TRUE(queue_arn.ok());
  const CommandResult moved = cartflow({"dlq", "redrive", "--backend", "aws", "--queue", *queue_arn});
  ASSERT_EQ(moved.exit_code, 0) << moved.out << moved.err;
  EXPECT_NE(moved.out.find("moved 13 message(s) back to " + queue_url_), std::string::npos)
      << moved.out;
  const ports::QueueCounts left = counts(dlq_url_);
  EXPECT_EQ(left.visible + left.in_flight, 0);

  aws::SqsQueue queue(peers_->sqs.client(), queue_url_);
  std::set<std::string> bodies;
  for (int round = 0; round < 5 && bodies.size() < 13; ++round) {
    auto got = queue.receive({.max_messages = 10, .wait = std::chrono::milliseconds(1000)});
    ASSERT_TRUE(got.ok()) << got.error().message;
    for (const ports::Message& m : *got) {
      const std::string n = m.body.substr(14, m.body.size() - 16);  // {"order_id":"oN"}
      EXPECT_EQ(m.attributes.at("origin").string_value, "test-" + n) << m.body;
      bodies.insert(m.body);
    }
  }
  EXPECT_EQ(bodies.size(), 13u);
}

TEST_F(AwsNamesTest, AMissingResourceIsOneErrorNamingItAndHowToPassIt) {
  // A stack outputs file without StreamFailureQueueUrl: the default name does not exist here.
  const std::string partial = dir.file("partial.json");
  write_outputs(partial, "");
  std::string error;
  server = ServeProcess::start(dir.path(), dir.file("state.db"), error,
                               {"--backend", "aws", "--stack-outputs", partial}, seconds(60));
  ASSERT_EQ(server, nullptr);
  EXPECT_NE(error.find("stream on-failure queue OrderStreamFailureQueue"), std::string::npos) << error;
  EXPECT_NE(error.find("--stream-failure-queue"), std::string::npos) << error;
  EXPECT_NE(error.find("ORDER_STREAM_FAILURE_SQS"), std::string::npos) << error;

  // A queue without a RedrivePolicy has no DLQ to find.
  const CommandResult no_dlq = cartflow({"dlq", "list", "--backend", "aws", "--queue", failure_url_});
  EXPECT_EQ(no_dlq.exit_code, 1);
  EXPECT_NE(no_dlq.err.find("has no RedrivePolicy"), std::string::npos) << no_dlq.err;
  EXPECT_NE(no_dlq.err.find("--dlq"), std::string::npos) << no_dlq.err;
  EXPECT_EQ(no_dlq.err.find('\n'), no_dlq.err.size() - 1) << "one line: " << no_dlq.err;

  // A table that does not exist, by name.
  const CommandResult no_table =
      cartflow({"catalog", "load", "--backend", "aws", "--table", "NoSuchTable"});
  EXPECT_EQ(no_table.exit_code, 1);
  EXPECT_NE(no_table.err.find("table NoSuchTable"), std::string::npos) << no_table.err;
  EXPECT_NE(no_table.err.find("--stack-outputs"), std::string::npos) << no_table.err;

  // Resource flags without --backend aws are a usage error, not a silent local run.
  const CommandResult local = cartflow({"dlq", "list", "--stack-outputs", outputs_});
  EXPECT_EQ(local.exit_code, 2);
  EXPECT_NE(local.err.find("--backend aws"), std::string::npos) << local.err;
}

}  // namespace
}  // namespace cartflow::e2e
