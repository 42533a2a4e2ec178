// SPDX-License-Identifier: Apache-2.0
// Regressions found with the fault proxy, against a scripted endpoint on loopback:
// - the HTTP client (libcurl then; Beast now) re-sent a POST by itself on a fresh connection when
//   a kept-alive one died after the request went out, uncounted by the retry strategy (more attempts than max_attempts, and a
//   write re-sent behind its back);
// - TransactWriteItems without a caller token went out without ClientRequestToken, so a retry
//   after a lost answer applied the transaction again (the SDKs fill the token themselves).
#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "../aws/local_server.h"
#include "aws/dynamodb_table.h"

namespace cartflow::aws {
namespace {

using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

// Serves the scripted responses in order, then 200 "{}"; records the request bodies.
struct Scripted {
  std::mutex m;
  std::deque<LocalResponse> script;
  std::vector<std::string> bodies;
  LocalServer server{[this](const LocalRequest& r) {
    std::lock_guard lock(m);
    bodies.push_back(r.body);
    if (script.empty()) return LocalResponse{200, {}, "{}"};
    LocalResponse out = script.front();
    script.pop_front();
    return out;
  }};
};

TEST(HttpClientResend, PostWhoseAnswerIsLostOnAKeptAliveConnectionIsNotResent) {
  Scripted s;
  s.script = {LocalResponse{200, {}, "first"}, LocalResponse{.reset = true}};
  HttpClient http;
  auto first = http.send({"POST", s.server.url() + "/", {}, "one"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = http.send({"POST", s.server.url() + "/", {}, "two"});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, model::ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message.find("not re-sent"), std::string::npos) << second.error().message;
  EXPECT_EQ(s.bodies, (std::vector<std::string>{"one", "two"}));  // "two" went out once
  // The client goes on with a fresh connection.
  auto third = http.send({"POST", s.server.url() + "/", {}, "three"});
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(s.bodies, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(HttpClientResend, BodiesOfEverySizeAndMethodStillGoOut) {
  Scripted s;
  HttpClient http;
  std::string big(300 * 1024, 'x');  // larger than one socket write
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    ASSERT_TRUE(http.send({method, s.server.url() + "/", {}, big}).ok());
    ASSERT_TRUE(http.send({method, s.server.url() + "/", {}, ""}).ok());
  }
  ASSERT_EQ(s.bodies.size(), 6u);
  EXPECT_EQ(s.bodies[0], big);
  EXPECT_EQ(s.bodies[1], "");
  EXPECT_EQ(s.bodies[4], big);
}

std::string token_of(const std::string& body) {
  std::string key = "\"ClientRequestToken\":\"";
  auto at = body.find(key);
  if (at == std::string::npos) return {};
  at += key.size();
  return body.substr(at, body.find('"', at) - at);
}

TEST(DynamoDbTransactToken, FilledWhenAbsentAndKeptAcrossRetries) {
  Scripted s;
  s.script = {LocalResponse{500, {}, R"({"__type":"InternalServerError","message":"x"})"}};
  HttpClient http;
  StaticCredentialsProvider creds{Credentials{"test", "test", "", std::nullopt}};
  JsonClient client(http, creds, ServiceEndpoint{s.server.url(), "us-east-1", "dynamodb"},
                    JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"});
  client.set_sleep([](std::chrono::milliseconds) {});
  DynamoDbTable table(client, ports::TableDescription{"t", {"PK", std::nullopt}, {}, {}});
  std::vector<ports::TransactAction> actions{ports::TransactAction{ports::PutRequest{{{"PK", "a"}}}}};
  ASSERT_TRUE(table.transact_write(actions, std::nullopt).ok());
  ASSERT_TRUE(table.transact_write(actions, std::nullopt).ok());
  ASSERT_TRUE(table.transact_write(actions, std::string("mine")).ok());
  ASSERT_EQ(s.bodies.size(), 4u);
  EXPECT_EQ(token_of(s.bodies[0]).size(), 32u);
  EXPECT_EQ(token_of(s.bodies[0]), token_of(s.bodies[1]));  // the retry re-sends the token
  EXPECT_NE(token_of(s.bodies[1]), token_of(s.bodies[2]));  // a new call is a new transaction
  EXPECT_EQ(token_of(s.bodies[2]).size(), 32u);
  EXPECT_EQ(token_of(s.bodies[3]), "mine");
}

}  // namespace
}  // namespace cartflow::aws
