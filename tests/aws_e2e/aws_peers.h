// SPDX-License-Identifier: Apache-2.0
#pragma once

// The peers of the `--backend aws` end-to-end tests, DynamoDB Local and local-aws-sqs on
// 127.0.0.1, and the environment through which the tests and the `cartflow` children they start
// find them (the AWS SDK conventions, with test credentials). One owner. AwsPeersTest: a fixture
// whose suite shares one AwsPeers.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "dynamodb_local.h"
#include "sqs_local.h"

namespace cartflow::e2e {

struct AwsPeers {
  aws::testing::DynamoDbLocal dynamodb;
  aws::testing::SqsLocal sqs{aws::testing::SqsPeer::kLocalAwsSqs};

  // "" when both answered, else why one did not.
  std::string error() const { return dynamodb.error().empty() ? sqs.error() : dynamodb.error(); }

  // Points AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_DYNAMODB_STREAMS, AWS_ENDPOINT_URL_SQS,
  // AWS_REGION and the credentials at the peers, for this process and the children it starts
  // (they read them as the AWS SDKs do).
  void export_environment() const {
    ::setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb.url().c_str(), 1);
    ::setenv("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", dynamodb.url().c_str(), 1);
    ::setenv("AWS_ENDPOINT_URL_SQS", sqs.url().c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "test", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
  }
};

// Starts the peers once per suite; each test starts with the peers answering and the environment
// pointing at them (a derived SetUp calls this one first).
class AwsPeersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { peers_ = std::make_unique<AwsPeers>(); }
  static void TearDownTestSuite() { peers_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(peers_->error().empty()) << peers_->error();
    peers_->export_environment();
  }

  static inline std::unique_ptr<AwsPeers> peers_;
};

}  // namespace cartflow::e2e
