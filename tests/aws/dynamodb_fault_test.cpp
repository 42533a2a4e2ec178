// SPDX-License-Identifier: Apache-2.0
// DynamoDbTable against a scripted endpoint: unprocessed batch entries are sent again.
#include <gtest/gtest.h>

#include "aws/dynamodb_table.h"
#include "local_server.h"

namespace cartflow::aws {
namespace {

using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

TEST(DynamoDbTableFaults, BatchWriteResendsOnlyUnprocessedItems) {
  std::mutex m;
  std::vector<std::string> bodies;
  LocalServer server([&](const LocalRequest& r) {
    std::lock_guard lock(m);
    bodies.push_back(r.body);
    if (bodies.size() == 1) {
      return LocalResponse{200, {}, R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"PK":{"S":"b"}}}}]}})"};
    }
    return LocalResponse{200, {}, R"({"UnprocessedItems":{}})"};
  });
  HttpClient http;
  StaticCredentialsProvider creds{Credentials{"test", "test", "", std::nullopt}};
  JsonClient client(http, creds, ServiceEndpoint{server.url(), "us-east-1", "dynamodb"},
                    JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"});
  DynamoDbTable table(client, ports::TableDescription{"t", {"PK", std::nullopt}, {}, {}});
  auto r = table.batch_write({{ports::PutRequest{{{"PK", "a"}}}}, {ports::PutRequest{{{"PK", "b"}}}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->unprocessed.empty());
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_NE(bodies[0].find("\"a\""), std::string::npos);
  EXPECT_EQ(bodies[1].find("\"a\""), std::string::npos);
  EXPECT_NE(bodies[1].find("\"b\""), std::string::npos);
}

TEST(DynamoDbTableFaults, BatchGetGivesBackKeysStillUnprocessedAfterRetries) {
  std::atomic<int> calls{0};
  LocalServer server([&](const LocalRequest&) {
    ++calls;
    return LocalResponse{200, {}, R"({"Responses":{"t":[]},"UnprocessedKeys":{"t":{"Keys":[{"PK":{"S":"k"}}]}}})"};
  });
  HttpClient http;
  StaticCredentialsProvider creds{Credentials{"test", "test", "", std::nullopt}};
  JsonClient client(http, creds, ServiceEndpoint{server.url(), "us-east-1", "dynamodb"},
                    JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"});
  DynamoDbTable table(client, ports::TableDescription{"t", {"PK", std::nullopt}, {}, {}});
  auto r = table.batch_get({{{"PK", "k"}}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->unprocessed_keys.size(), 1u);
  EXPECT_EQ(r->unprocessed_keys[0], (model::Item{{"PK", "k"}}));
  EXPECT_EQ(calls.load(), 1 + DynamoDbTable::kBatchRetries);
}

}  // namespace
}  // namespace cartflow::aws
