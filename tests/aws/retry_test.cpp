// SPDX-License-Identifier: Apache-2.0
// Retries through JsonClient against a fault-injecting endpoint on loopback.
#include <gtest/gtest.h>

#include <deque>

#include "aws/json_client.h"
#include "aws/retry.h"
#include "local_server.h"

namespace cartflow::aws {
namespace {

using model::ErrorCode;
using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

LocalResponse aws_error(int status, const std::string& type, const std::string& message) {
  return LocalResponse{status, {{"Content-Type", "application/x-amz-json-1.0"}},
                       "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type +
                           "\",\"message\":\"" + message + "\"}"};
}

// Serves scripted responses in order, then 200 {"ok":1}; records the requests.
struct Script {
  std::mutex m;
  std::deque<LocalResponse> responses;
  std::vector<LocalRequest> seen;
  LocalResponse next(const LocalRequest& r) {
    std::lock_guard lock(m);
    seen.push_back(r);
    if (responses.empty()) return LocalResponse{200, {}, "{\"ok\":1}"};
    LocalResponse out = responses.front();
    responses.pop_front();
    return out;
  }
};

struct Fixture {
  Script script;
  LocalServer server{[this](const LocalRequest& r) { return script.next(r); }};
  HttpClient http{[] { HttpClientOptions o; o.request_timeout = std::chrono::milliseconds(300); return o; }()};
  StaticCredentialsProvider creds{Credentials{"test", "test", "tok", std::nullopt}};
  std::vector<std::chrono::milliseconds> sleeps;
  JsonClient client;
  explicit Fixture(RetryOptions options = {})
      : client(http, creds, ServiceEndpoint{server.url(), "us-east-1", "dynamodb"},
               JsonProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"}, options) {
    client.set_sleep([this](std::chrono::milliseconds d) { sleeps.push_back(d); });
  }
};

TEST(JsonClient, SignsAndTargetsTheOperation) {
  Fixture f;
  auto r = f.client.call("GetItem", "{\"TableName\":\"t\"}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "{\"ok\":1}");
  ASSERT_EQ(f.script.seen.size(), 1u);
  const auto& req = f.script.seen[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.headers.at("x-amz-target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(req.headers.at("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(req.headers.at("x-amz-security-token"), "tok");
  EXPECT_EQ(req.headers.at("authorization").rfind("AWS4-HMAC-SHA256 Credential=test/", 0), 0u);
  EXPECT_NE(req.headers.at("authorization").find("/us-east-1/dynamodb/aws4_request"), std::string::npos);
  EXPECT_EQ(req.body, "{\"TableName\":\"t\"}");
}

TEST(JsonClient, RetriesThrottling500AndResetThenSucceeds) {
  Fixture f(RetryOptions{.max_attempts = 4});
  // The reset comes first, on a fresh connection (a request that may have reached the server
  // is re-sent only by the retry strategy).
  f.script.responses = {LocalResponse{.reset = true},
                        aws_error(400, "ProvisionedThroughputExceededException", "slow down"),
                        aws_error(500, "InternalServerError", "boom")};
  auto r = f.client.call("PutItem", "{}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(f.script.seen.size(), 4u);
  ASSERT_EQ(f.sleeps.size(), 3u);
  // Full jitter: each delay lies in [0, base * 2^n); throttling uses the 500 ms base.
  EXPECT_LT(f.sleeps[0].count(), 100);
  EXPECT_LT(f.sleeps[1].count(), 1000);
  EXPECT_LT(f.sleeps[2].count(), 400);
  // The successful retry gave its cost back: the quota is full again minus the two unreturned.
  EXPECT_EQ(f.client.retry().quota(), 500 - 5 - 5);
}

TEST(JsonClient, NeverRetriesConditionOrValidationErrors) {
  Fixture f;
  f.script.responses = {aws_error(400, "ConditionalCheckFailedException", "The conditional request failed")};
  auto r = f.client.call("PutItem", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConditionFailed);
  EXPECT_EQ(r.error().message, "ConditionalCheckFailedException: The conditional request failed");
  EXPECT_EQ(f.script.seen.size(), 1u);

  f.script.responses = {aws_error(400, "ValidationException", "bad key")};
  auto v = f.client.call("PutItem", "{}");
  EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(f.script.seen.size(), 2u);
  EXPECT_TRUE(f.sleeps.empty());
}

TEST(JsonClient, GivesUpAfterMaxAttemptsWithTheLastError) {
  Fixture f;  // 3 attempts
  for (int i = 0; i < 5; ++i) f.script.responses.push_back(aws_error(400, "ThrottlingException", "rate"));
  auto r = f.client.call("Query", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(f.script.seen.size(), 3u);
  EXPECT_EQ(f.sleeps.size(), 2u);
}

TEST(JsonClient, SlowResponsesTimeOutAndAreRetriedThenUnavailable) {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    LocalResponse slow{200, {}, "{}"};
    slow.delay = std::chrono::milliseconds(1000);
    f.script.responses.push_back(slow);
  }
  auto r = f.client.call("Query", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(f.script.seen.size(), 3u);
  EXPECT_EQ(f.client.retry().quota(), 500 - 10 - 10);  // timeouts cost 10
}

TEST(JsonClient, EmptyQuotaStopsRetrying) {
  Fixture f(RetryOptions{.max_attempts = 5, .quota_capacity = 7});
  for (int i = 0; i < 5; ++i) f.script.responses.push_back(aws_error(503, "ServiceUnavailable", "x"));
  auto r = f.client.call("Query", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(f.script.seen.size(), 2u);  // one retry (cost 5) fits in 7, the second does not
}

TEST(AwsErrors, TransactionCanceledCarriesReasons) {
  HttpResponse resp;
  resp.status = 400;
  resp.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
    "CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]})";
  model::Error e = to_model_error(parse_aws_error(resp));
  EXPECT_EQ(e.code, ErrorCode::kConditionFailed);
  ASSERT_EQ(e.cancellation_reasons.size(), 2u);
  EXPECT_EQ(e.cancellation_reasons[0].code, "None");
  EXPECT_EQ(e.cancellation_reasons[1], (model::CancellationReason{"ConditionalCheckFailed", "The conditional request failed"}));
  resp.body = R"({"__type":"TransactionCanceledException","CancellationReasons":[{"Code":"TransactionConflict"}]})";
  EXPECT_EQ(to_model_error(parse_aws_error(resp)).code, ErrorCode::kThrottled);
}

TEST(AwsErrors, SqsQueryErrorHeaderAndNotFound) {
  HttpResponse resp;
  resp.status = 400;
  resp.headers = {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}};
  resp.body = R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"})";
  AwsError a = parse_aws_error(resp);
  EXPECT_EQ(a.type, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(to_model_error(a).code, ErrorCode::kNotFound);
  HttpResponse nf;
  nf.status = 400;
  nf.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})";
  EXPECT_EQ(to_model_error(parse_aws_error(nf)).code, ErrorCode::kNotFound);
  HttpResponse denied;
  denied.status = 400;
  denied.body = R"({"__type":"UnrecognizedClientException","message":"bad key"})";
  EXPECT_EQ(to_model_error(parse_aws_error(denied)).code, ErrorCode::kInternal);
  EXPECT_EQ(classify(parse_aws_error(denied)), RetryKind::kNone);
}

TEST(RetryStrategy, BackoffIsCappedFullJitter) {
  RetryStrategy s(RetryOptions{}, 42);
  for (int retry = 0; retry < 12; ++retry) {
    auto d = s.backoff(retry, RetryKind::kTransient);
    EXPECT_GE(d.count(), 0);
    EXPECT_LE(d.count(), 20000);
  }
  // Not constant: jitter spreads the delays.
  std::set<long long> seen;
  for (int i = 0; i < 20; ++i) seen.insert(s.backoff(3, RetryKind::kTransient).count());
  EXPECT_GT(seen.size(), 5u);
}

}  // namespace
}  // namespace cartflow::aws
