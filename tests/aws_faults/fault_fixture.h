// SPDX-License-Identifier: Apache-2.0
#pragma once

// FaultProxyTest: DynamoDB Local (one per suite) behind a FaultProxy (one per test), a fresh
// table per test, a DynamoDbTable that talks through the proxy with a recording sleep (no real
// waiting between attempts), and a direct DynamoDbTable for setup and checks.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "../aws/dynamodb_local.h"
#include "aws/dynamodb_table.h"
#include "fault_proxy.h"

namespace cartflow::aws::testing {

class FaultProxyTest : public DynamoDbLocalTest {
 protected:
  static constexpr int kMaxAttempts = 3;
  static constexpr std::chrono::milliseconds kRequestTimeout{2000};

  void SetUp() override {
    DynamoDbLocalTest::SetUp();
    if (HasFatalFailure()) return;
    std::string url = local_->url();
    proxy_ = std::make_unique<FaultProxy>(std::stoi(url.substr(url.rfind(':') + 1)));
    static std::atomic<int> n{0};
    ports::TableDescription d{"faults_" + std::to_string(++n), {"PK", "SK"}, {}, {}};
    auto created = create_table(client(), d);
    ASSERT_TRUE(created.ok()) << created.error().message;
    direct_ = std::make_unique<DynamoDbTable>(client(), d);
    connect(RetryOptions{.max_attempts = kMaxAttempts});
  }

  // (Re)creates the proxied client with `retry` options.
  void connect(RetryOptions retry) {
    table_.reset();
    json_.reset();
    HttpClientOptions o;
    o.request_timeout = kRequestTimeout;
    http_ = std::make_unique<HttpClient>(o);
    json_ = std::make_unique<JsonClient>(*http_, creds_,
                                         ServiceEndpoint{proxy_->url(), "us-east-1", "dynamodb"},
                                         JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"},
                                         retry);
    json_->set_sleep([this](std::chrono::milliseconds d) { sleeps_.push_back(d); });
    table_ = std::make_unique<DynamoDbTable>(*json_, direct_->describe());
  }

  // Clears the proxy's counters and the recorded sleeps before the call under test.
  void mark() {
    proxy_->reset_counters();
    sleeps_.clear();
  }
  int attempts() const { return static_cast<int>(sleeps_.size()) + 1; }

  static model::Item key(const std::string& sk) { return {{"PK", "p"}, {"SK", sk}}; }
  static model::Item item(const std::string& sk, std::int64_t n) {
    model::Item i = key(sk);
    i["n"] = model::AttributeValue::integer(n);
    return i;
  }
  static ports::UpdateRequest add_one(const std::string& sk) {
    model::Update u;
    u.add(model::path("n"), model::AttributeValue::integer(1));
    return ports::UpdateRequest{key(sk), std::move(u), std::nullopt, ports::ReturnValues::kNone};
  }

  // The whole partition "p", read directly (not through the proxy), sorted by SK.
  std::vector<model::Item> contents() {
    ports::QueryRequest q;
    q.key_condition = model::KeyCondition::hash("PK", "p");
    q.consistent_read = true;
    auto r = direct_->query(q);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->items : std::vector<model::Item>{};
  }

  // The proxied client works again: a put and a get through the proxy, in pass-through.
  void expect_recovered() {
    proxy_->pass();
    ASSERT_TRUE(table_->put({item("probe", 0)}).ok());
    auto got = table_->get({key("probe")});
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(**got, item("probe", 0));
    ASSERT_TRUE(table_->remove({key("probe")}).ok());
  }

  StaticCredentialsProvider creds_{Credentials{"test", "test", "", std::nullopt}};
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<JsonClient> json_;
  std::unique_ptr<DynamoDbTable> direct_;
  std::unique_ptr<DynamoDbTable> table_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace cartflow::aws::testing
