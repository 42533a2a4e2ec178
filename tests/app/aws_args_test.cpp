// SPDX-License-Identifier: Apache-2.0
// Where `--backend aws` finds its resources: ARNs, describe-stacks JSON, and the precedence of
// flags, the stack outputs file and the environment.
#include "aws_args.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace cartflow::app {
namespace {

AwsOptions with_env(std::map<std::string, std::string> vars) {
  AwsOptions base;
  base.env = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return base;
}

TEST(Arn, SplitsItsSixFields) {
  auto arn = aws::parse_arn("arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "dynamodb");
  EXPECT_EQ(arn->region, "eu-west-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->resource, "table/Orders/stream/2024");
  EXPECT_EQ(aws::parse_arn("arn:aws:sqs:us-east-1:1:q:x")->resource, "q:x");
}

TEST(Arn, RejectsWhatIsNoArn) {
  EXPECT_FALSE(aws::parse_arn("UpdateCartProductsSQS"));
  EXPECT_FALSE(aws::parse_arn("https://sqs.us-east-1.amazonaws.com/1/q"));
  EXPECT_FALSE(aws::parse_arn("arn:aws:sqs:us-east-1:1"));
  EXPECT_FALSE(aws::parse_arn("arn:aws:sqs:us-east-1:1:"));
  EXPECT_FALSE(aws::parse_arn("arn:aws::us-east-1:1:q"));
}

TEST(StackOutputs, ReadsDescribeStacksAndItsQueryForm) {
  auto full = aws::parse_stack_outputs(
      R"({"Stacks":[{"StackName":"s","Outputs":[{"OutputKey":"TableName","OutputValue":"T-1",)"
      R"("Description":"d"},{"OutputKey":"QueueUrl","OutputValue":"https://q"}]}]})");
  ASSERT_TRUE(full.ok()) << full.error().message;
  ASSERT_EQ(full->size(), 2u);
  EXPECT_EQ((*full)[0].key, "TableName");
  EXPECT_EQ((*full)[0].value, "T-1");
  auto query = aws::parse_stack_outputs(R"([{"OutputKey":"QueueUrl","OutputValue":"https://q"}])");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ((*query)[0].value, "https://q");
  auto none = aws::parse_stack_outputs(R"({"Stacks":[{"StackName":"s"}]})");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(StackOutputs, RejectsWhatItCannotUse) {
  for (const char* bad : {"", "{", "42", R"({"Outputs":[]})", R"({"Stacks":[]})",
                          R"({"Stacks":[{},{}]})", R"([{"OutputKey":"TableName"}])",
                          R"([{"OutputKey":"TableName","OutputValue":7}])"}) {
    auto r = aws::parse_stack_outputs(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(aws::parse_stack_outputs(R"({"Stacks":[{},{}]})").error().message.find("--stack-name"),
            std::string::npos);
}

class AwsArgsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(path_) << R"({"Stacks":[{"Outputs":[)"
                         << R"({"OutputKey":"TableName","OutputValue":"s-EcommerceAppTable-X"},)"
                         << R"({"OutputKey":"QueueUrl","OutputValue":"https://sqs/1/s-Q-Y"},)"
                         << R"({"OutputKey":"DeadLetterQueueUrl","OutputValue":"https://sqs/1/s-D-Z"},)"
                         << R"({"OutputKey":"StreamFailureQueueUrl","OutputValue":"https://sqs/1/s-F-W"},)"
                         << R"({"OutputKey":"ApiKeysTableName","OutputValue":"s-ApiKeysTable-V"}]}]})";
  }
  support::TempDir dir_{"cartflow-stack"};
  const std::string path_ = dir_.file("stack.json");
};

TEST_F(AwsArgsTest, StackOutputsNameEveryResourceButTheDlq) {
  AwsArgs args{.backend = "aws", .stack_outputs = path_};
  auto options = aws_options_from_args(args, AwsParts::kAll, with_env({}));
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->table_name, "s-EcommerceAppTable-X");
  EXPECT_EQ(options->queue, "https://sqs/1/s-Q-Y");
  EXPECT_EQ(options->stream_failure_queue, "https://sqs/1/s-F-W");
  EXPECT_EQ(options->api_keys_table, "s-ApiKeysTable-V");
  EXPECT_EQ(options->dead_letter_queue, "") << "the DLQ comes from the queue's RedrivePolicy";
  EXPECT_EQ(options->parts, AwsParts::kAll);
}

TEST_F(AwsArgsTest, FlagsWinOverTheFileWhichWinsOverTheEnvironment) {
  AwsArgs args{.backend = "aws", .queue = "FlagQueue", .stack_outputs = path_};
  auto options = aws_options_from_args(
      args, AwsParts::kQueues,
      with_env({{"TABLE_NAME", "EnvTable"}, {"UPDATE_CART_PRODUCT_SQS", "EnvQueue"},
                {"UPDATE_CART_PRODUCT_DLQ", "EnvDlq"}, {"ORDER_STREAM_FAILURE_SQS", "EnvF"}}));
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->queue, "FlagQueue");
  EXPECT_EQ(options->table_name, "s-EcommerceAppTable-X");
  EXPECT_EQ(options->stream_failure_queue, "https://sqs/1/s-F-W");
  EXPECT_EQ(options->dead_letter_queue, "EnvDlq");
}

TEST_F(AwsArgsTest, TheEnvironmentAloneAsTheTemplateSetsIt) {
  auto options = aws_options_from_args(
      {.backend = "aws"}, AwsParts::kAll,
      with_env({{"TABLE_NAME", "T"}, {"UPDATE_CART_PRODUCT_SQS", "https://sqs/1/Q"}}));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->table_name, "T");
  EXPECT_EQ(options->queue, "https://sqs/1/Q");
  EXPECT_EQ(options->dead_letter_queue, "");
  EXPECT_EQ(options->stream_failure_queue, "");
}

TEST_F(AwsArgsTest, BadFilesAndLocalBackendsAreClearErrors) {
  auto missing = aws_options_from_args({.backend = "aws", .stack_outputs = "/nonexistent/s.json"},
                                       AwsParts::kAll, with_env({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/s.json"), std::string::npos);
  std::ofstream(path_) << "not json";
  auto bad = aws_options_from_args({.backend = "aws", .stack_outputs = path_},
                                   AwsParts::kAll, with_env({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(path_), std::string::npos) << bad.error().message;
  auto local = aws_options_from_args({.table = "T"}, AwsParts::kAll, with_env({}));
  ASSERT_FALSE(local.ok());
  EXPECT_NE(local.error().message.find("--backend aws"), std::string::npos);
  EXPECT_TRUE(aws_options_from_args({}, AwsParts::kAll, with_env({})).ok());
}

}  // namespace
}  // namespace cartflow::app
