// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqsLocal: starts an SQS emulator on 127.0.0.1 with a free port -- local-aws-sqs (pinned in
// tests/peers, through sqs_server.mjs) or moto_server -- waits until it answers ListQueues, and
// kills it by pid when destroyed. Its JsonClient signs as service "sqs" with test credentials.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aws/sqs_queue.h"
#include "dynamodb_local.h"  // free_port(), wait_for_peer(), stop_peer()
#include "support/child_process.h"

namespace cartflow::aws::testing {

enum class SqsPeer { kLocalAwsSqs, kMoto };

class SqsLocal {
 public:
  explicit SqsLocal(SqsPeer peer) {
    port_ = free_port();
    std::string port = std::to_string(port_);
    std::string script = std::string(CARTFLOW_SOURCE_DIR) + "/tests/aws_sqs/sqs_server.mjs";
    std::vector<std::string> argv = {"node", script, port};
    if (peer == SqsPeer::kMoto) argv = {"moto_server", "-H", "127.0.0.1", "-p", port};
    pid_ = support::spawn_process(argv, {"/dev/null", "/dev/null"}, error_);
    http_ = std::make_unique<HttpClient>();
    creds_ = std::make_unique<StaticCredentialsProvider>(Credentials{"test", "test", "", std::nullopt});
    client_ = std::make_unique<JsonClient>(*http_, *creds_, ServiceEndpoint{url(), "us-east-1", "sqs"},
                                           sqs_protocol());
    if (pid_ > 0) error_ = wait_for_peer(pid_, [&] { return client_->call("ListQueues", "{}").ok(); }, "the SQS emulator", url());
  }
  ~SqsLocal() {
    client_.reset();
    stop_peer(pid_);
  }
  SqsLocal(const SqsLocal&) = delete;
  SqsLocal& operator=(const SqsLocal&) = delete;

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

}  // namespace cartflow::aws::testing
