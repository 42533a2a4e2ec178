// SPDX-License-Identifier: Apache-2.0
// Data the reference wrote, through the AWS backend: the table on DynamoDB Local and the
// queue on an SQS server (local-aws-sqs), both on 127.0.0.1, started and stopped here. The
// same scenario runs on the embedded store in tests/functions/reference_data_test.cpp.
#include "aws/dynamodb_table.h"
#include "aws/sqs_queue.h"
#include "dynamodb_local.h"
#include "functions/api_table.h"
#include "reference_data.h"
#include "sqs_local.h"

namespace cartflow {
namespace {

TEST(ReferenceDataAws, DynamoDbLocalAndAnSqsServerReadWhatTheReferenceWrote) {
  aws::testing::DynamoDbLocal dynamodb;
  ASSERT_TRUE(dynamodb.error().empty()) << dynamodb.error();
  aws::testing::SqsLocal sqs(aws::testing::SqsPeer::kLocalAwsSqs);
  ASSERT_TRUE(sqs.error().empty()) << sqs.error();

  const ports::TableDescription description = functions::table_description("EcommerceAppTable");
  auto created = aws::create_table(dynamodb.client(), description);
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto table = aws::DynamoDbTable::open(dynamodb.client(), description.name);
  ASSERT_TRUE(table.ok()) << table.error().message;
  auto url = aws::create_queue(sqs.client(), "UpdateCartProductsSQS");
  ASSERT_TRUE(url.ok()) << url.error().message;
  aws::SqsQueue queue(sqs.client(), *url);

  functions::testing::run_reference_data_scenario(**table, queue, std::chrono::seconds(1));
}

}  // namespace
}  // namespace cartflow
