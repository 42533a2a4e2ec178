// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "fixtures.h"

namespace cartflow::platform {
namespace {

namespace json = boost::json;
using testing::EchoHandler;
using testing::TempDatabase;

class Gateway : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ApiKeyStore::open(tmp.open(), clock);
    ASSERT_TRUE(s.ok());
    keys = std::move(*s);
    gateway = std::make_unique<ApiGateway>(handler, keys.get(), clock, metrics);
  }
  std::string create_key(UsagePlan plan = {}) {
    auto c = keys->create("test", plan);
    EXPECT_TRUE(c.ok());
    return c->secret;
  }
  HttpResponse call(std::string method, std::string target, std::string key = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.remote_address = "127.0.0.1";
    if (!key.empty()) r.headers.emplace_back("x-api-key", key);
    return gateway->handle(r);
  }
  static std::string header(const HttpResponse& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "<absent>";
  }

  TempDatabase tmp;
  ports::ManualClock clock{1'715'774'400'000};
  EchoHandler handler;
  MetricsRegistry metrics;
  std::unique_ptr<ApiKeyStore> keys;
  std::unique_ptr<ApiGateway> gateway;
};

TEST_F(Gateway, ForbidsMissingUnknownAndRevokedKeys) {
  std::string key = create_key();
  HttpResponse missing = call("GET", "/Dev/products");
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(missing.body, R"({"message":"Forbidden"})");
  EXPECT_NE(header(missing, "x-amzn-RequestId"), "<absent>");
  EXPECT_EQ(call("GET", "/Dev/products", "wrong").status, 403);
  EXPECT_EQ(call("GET", "/Dev/products", key).status, 200);
  ASSERT_TRUE(keys->revoke(keys->list()[0].id).ok());
  EXPECT_EQ(call("GET", "/Dev/products", key).status, 403);
  EXPECT_EQ(handler.calls.load(), 1);  // refused requests never reach the handler
}

TEST_F(Gateway, HealthNeedsNoKeyAndBothPathFormsWork) {
  EXPECT_EQ(call("GET", "/health").status, 200);
  EXPECT_EQ(call("GET", "/Dev/health").status, 200);
  std::string key = create_key();
  HttpResponse bare = call("GET", "/products/p1", key);
  HttpResponse staged = call("GET", "/Dev/products/p1", key);
  ASSERT_EQ(bare.status, 200);
  ASSERT_EQ(staged.status, 200);
  json::object e1 = json::parse(bare.body).as_object();
  json::object e2 = json::parse(staged.body).as_object();
  EXPECT_EQ(e1["path"], "/products/p1");
  EXPECT_EQ(e2["path"], "/products/p1");
  EXPECT_EQ(e1["resource"], "/products/{product_id}");
  EXPECT_EQ(e2["pathParameters"].as_object()["product_id"], "p1");
  EXPECT_EQ(e2["requestContext"].as_object()["identity"].as_object()["apiKey"].as_string(), key);
  // Each response carries its own request id, the one the handler saw.
  EXPECT_EQ(e2["requestContext"].as_object()["requestId"].as_string(), header(staged, "x-amzn-RequestId"));
  EXPECT_NE(header(bare, "x-amzn-RequestId"), header(staged, "x-amzn-RequestId"));
}

TEST_F(Gateway, UnknownResourcesAndMethodsAnswerMissingAuthenticationToken) {
  std::string key = create_key();
  for (auto [method, target] : {std::pair{"GET", "/Dev/nothing"}, std::pair{"PUT", "/products"}}) {
    HttpResponse r = call(method, target, key);
    EXPECT_EQ(r.status, 403) << target;
    EXPECT_EQ(r.body, R"({"message":"Missing Authentication Token"})");
  }
  EXPECT_EQ(handler.calls.load(), 0);
}

TEST_F(Gateway, ThrottlesWithTheKeysTokenBucket) {
  std::string key = create_key(UsagePlan{1.0, 2, 0, QuotaPeriod::kNone});
  EXPECT_EQ(call("GET", "/products", key).status, 200);
  EXPECT_EQ(call("GET", "/products", key).status, 200);
  HttpResponse throttled = call("GET", "/products", key);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.body, R"({"message":"Too Many Requests"})");
  clock.advance_ms(1000);
  EXPECT_EQ(call("GET", "/products", key).status, 200);
  EXPECT_EQ(call("GET", "/products", key).status, 429);
}

TEST_F(Gateway, EnforcesTheQuota) {
  std::string key = create_key(UsagePlan{100.0, 100, 2, QuotaPeriod::kDay});
  EXPECT_EQ(call("GET", "/products", key).status, 200);
  EXPECT_EQ(call("GET", "/products", key).status, 200);
  HttpResponse over = call("GET", "/products", key);
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(over.body, R"({"message":"Limit Exceeded"})");
  clock.advance_ms(24 * 3600 * 1000);
  EXPECT_EQ(call("GET", "/products", key).status, 200);
}

TEST_F(Gateway, HandlerFailuresBecome502) {
  std::string key = create_key();
  handler.fail = true;
  HttpResponse failed = call("GET", "/products", key);
  EXPECT_EQ(failed.status, 502);
  EXPECT_EQ(failed.body, R"({"message":"Internal server error"})");
  handler.fail = false;
  handler.malformed = true;
  EXPECT_EQ(call("GET", "/products", key).status, 502);
}

TEST_F(Gateway, MetricsCountRequestsByRouteAndStatus) {
  std::string key = create_key();
  (void)call("GET", "/Dev/products/p1", key);
  (void)call("GET", "/products/p2", key);
  (void)call("GET", "/products/p2");
  HttpResponse m = call("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(header(m, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("cartflow_http_requests_total{method=\"GET\",route=\"/products/"
                        "{product_id}\",status=\"200\"} 2\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("cartflow_http_requests_total{method=\"GET\",route=\"/products/"
                        "{product_id}\",status=\"403\"} 1\n"),
            std::string::npos);
  EXPECT_NE(m.body.find("cartflow_http_request_duration_seconds_count{method=\"GET\",route=\"/"
                        "products/{product_id}\"} 3\n"),
            std::string::npos);
  EXPECT_EQ(m.body.find(key), std::string::npos);
}

TEST_F(Gateway, InventedMethodsShareOneMetricsLabel) {
  std::string key = create_key();
  for (int i = 0; i < 20; ++i) (void)call("FOO" + std::to_string(i), "/products", key);
  HttpResponse m = call("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.body.find("FOO"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("cartflow_http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"403\"} 20\n"),
            std::string::npos)
      << m.body;
}

TEST_F(Gateway, ErrorPagesAreApiGatewayShaped) {
  HttpResponse r = gateway->error_page(413);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, R"({"message":"Request Entity Too Large"})");
  EXPECT_NE(header(r, "x-amzn-RequestId"), "<absent>");
}

// A Durability whose scopes hand out the next ticket and whose syncs finish when the test says.
class FakeDurability final : public ports::Durability {
 public:
  void begin_scope() override { ++scopes; }
  Ticket end_scope() override { return ++last_ticket; }
  void when_durable(Ticket ticket, std::function<void(bool)> ready) override {
    waiting.emplace_back(ticket, std::move(ready));
  }
  // Finishes every waiting sync as `durable`.
  void finish(bool durable) {
    auto now = std::move(waiting);
    waiting.clear();
    for (auto& [ticket, ready] : now) ready(durable);
  }
  int scopes = 0;
  Ticket last_ticket = 0;
  std::vector<std::pair<Ticket, std::function<void(bool)>>> waiting;
};

class DurableGateway : public Gateway {
 protected:
  void SetUp() override {
    Gateway::SetUp();
    gateway = std::make_unique<ApiGateway>(handler, keys.get(), clock, metrics, ApiGatewayOptions{},
                                           &durability);
  }
  // Sends a request through handle_async; the answer lands in `answer` when the reply is sent.
  void call_async(std::string method, std::string target, std::string key,
                  std::optional<HttpResponse>& answer) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.remote_address = "127.0.0.1";
    if (!key.empty()) r.headers.emplace_back("x-api-key", key);
    gateway->handle_async(r, HttpReply([&answer](HttpResponse response) { answer = std::move(response); }));
  }
  FakeDurability durability;
};

TEST_F(DurableGateway, AnswersOnlyOnceTheStoreSaysDurable) {
  std::string key = create_key();
  std::optional<HttpResponse> answer;
  call_async("POST", "/cart/u1", key, answer);
  EXPECT_EQ(handler.calls.load(), 1);
  EXPECT_EQ(durability.scopes, 1);
  ASSERT_EQ(durability.waiting.size(), 1u);
  EXPECT_EQ(durability.waiting[0].first, 1u);  // the scope's ticket
  EXPECT_FALSE(answer.has_value());            // nothing is written before the sync
  durability.finish(true);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
  EXPECT_NE(header(*answer, "x-amzn-RequestId"), "<absent>");
}

TEST_F(DurableGateway, AFailedSyncAnswers500NotTheHandlersSuccess) {
  std::string key = create_key();
  std::optional<HttpResponse> answer;
  call_async("POST", "/cart/u1", key, answer);
  EXPECT_FALSE(answer.has_value());
  durability.finish(false);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 500);
  EXPECT_EQ(answer->body, R"({"message":"Internal server error"})");
  EXPECT_NE(header(*answer, "x-amzn-RequestId"), "<absent>");
}

TEST_F(Gateway, WithoutDurabilityTheAsyncAnswerIsImmediate) {
  std::string key = create_key();
  std::optional<HttpResponse> answer;
  HttpRequest r;
  r.method = "GET";
  r.target = "/products/p1";
  r.headers.emplace_back("x-api-key", key);
  gateway->handle_async(r, HttpReply([&answer](HttpResponse response) { answer = std::move(response); }));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
}

TEST(HttpReplyTest, ADroppedReplyAnswersItsFallbackOnce) {
  int sent = 0;
  int status = 0;
  {
    HttpReply reply([&](HttpResponse r) { ++sent; status = r.status; },
                    [] { return HttpResponse::json(503, "{}"); });
    HttpReply moved = std::move(reply);  // the moved-from reply sends nothing
  }
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(status, 503);
  HttpReply once([&](HttpResponse) { ++sent; });
  once.send(HttpResponse::json(200, "{}"));
  once.send(HttpResponse::json(200, "{}"));
  EXPECT_EQ(sent, 2);
}

}  // namespace
}  // namespace cartflow::platform
