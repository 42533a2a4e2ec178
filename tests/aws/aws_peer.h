// SPDX-License-Identifier: Apache-2.0
#pragma once

// AwsPeer: a local AWS emulator (DynamoDB Local, an SQS server) as a child process on 127.0.0.1
// with a free port, started through the support launcher, and a JsonClient that signs for its
// service with test credentials. The child is stopped (SIGTERM, reaped) on destruction. One
// owner; the client is as thread-safe as JsonClient.

#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/json_client.h"
#include "support/child_process.h"

namespace cartflow::aws::testing {

class AwsPeer {
 public:
  ~AwsPeer() {
    client_.reset();
    support::stop_process(pid_, SIGTERM);
  }
  AwsPeer(const AwsPeer&) = delete;
  AwsPeer& operator=(const AwsPeer&) = delete;

  // "" once the peer answered; else why it did not start.
  const std::string& error() const { return error_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  JsonClient& client() { return *client_; }

 protected:
  AwsPeer() : port_(support::free_port()) {}
  std::string port() const { return std::to_string(port_); }

  // Spawns `argv`, makes the client, and waits until `probe_action` ("{}") answers (up to a
  // minute); error() says why not.
  void start(const std::vector<std::string>& argv, const support::ChildOutput& output,
             const std::string& service, const JsonProtocol& protocol,
             const std::string& probe_action, const std::string& what) {
    pid_ = support::spawn_process(argv, output, error_);
    http_ = std::make_unique<HttpClient>();
    creds_ = std::make_unique<StaticCredentialsProvider>(
        Credentials{"test", "test", "", std::nullopt});
    client_ = std::make_unique<JsonClient>(
        *http_, *creds_, ServiceEndpoint{url(), "us-east-1", service}, protocol);
    if (pid_ <= 0) return;
    error_ = support::wait_for_peer(
        pid_, [&] { return client_->call(probe_action, "{}").ok(); }, what, url());
  }

  std::string error_;

 private:
  int port_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<StaticCredentialsProvider> creds_;
  std::unique_ptr<JsonClient> client_;
};

}  // namespace cartflow::aws::testing
