// SPDX-License-Identifier: Apache-2.0
// CorsHandler: the api's Lambda door answers preflights itself (no API key, the api not
// called) and adds the CORS headers to every other proxy response; no origin, no change.
#include "functions/cors.h"

#include <gtest/gtest.h>

#include "events/api_gateway.h"

namespace cartflow::functions {
namespace {

// Answers every event 200 with one header, counting the calls.
class FakeApi final : public Handler {
 public:
  std::string_view name() const override { return "api"; }
  model::Result<std::string> invoke(std::string_view, const InvocationContext&) override {
    ++calls;
    events::ApiGatewayResponse r;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = "{}";
    return events::to_json(r);
  }
  int calls = 0;
};

std::string event(const std::string& method, const std::string& headers) {
  return R"({"httpMethod":")" + method + R"(","path":"/products","headers":{)" + headers + "}}";
}

events::ApiGatewayResponse answer(Handler& handler, const std::string& event_json) {
  auto out = handler.invoke(event_json, InvocationContext{});
  EXPECT_TRUE(out.ok());
  auto parsed = events::parse_api_gateway_response(*out);
  EXPECT_TRUE(parsed.ok());
  return *parsed;
}

TEST(CorsHandler, AnswersAPreflightWithoutCallingTheApi) {
  FakeApi api;
  CorsHandler cors(api, "https://shop.example");
  auto r = answer(cors, event("OPTIONS", R"("Origin":"https://shop.example",)"
                                         R"("Access-Control-Request-Method":"POST")"));
  EXPECT_EQ(r.status_code, 204);
  EXPECT_EQ(api.calls, 0);
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://shop.example");
  EXPECT_EQ(r.header("access-control-allow-methods"), "GET, POST, DELETE, OPTIONS");
  EXPECT_NE(r.header("access-control-allow-headers")->find("X-Api-Key"), std::string::npos);
  EXPECT_EQ(r.header("vary"), "Origin");
}

TEST(CorsHandler, AddsTheOriginToTheApisAnswer) {
  FakeApi api;
  CorsHandler cors(api, "*");
  auto r = answer(cors, event("GET", R"("Origin":"https://shop.example")"));
  EXPECT_EQ(api.calls, 1);
  EXPECT_EQ(r.status_code, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_NE(r.header("access-control-expose-headers")->find("Retry-After"), std::string::npos);
  EXPECT_FALSE(r.header("vary").has_value());  // "*" does not depend on the origin
}

TEST(CorsHandler, AnOptionsWithoutRequestMethodIsNotAPreflight) {
  FakeApi api;
  CorsHandler cors(api, "*");
  answer(cors, event("OPTIONS", R"("Origin":"https://shop.example")"));
  EXPECT_EQ(api.calls, 1);
}

TEST(CorsHandler, NoOriginChangesNothing) {
  FakeApi api;
  CorsHandler cors(api, "");
  const std::string preflight = event("OPTIONS", R"("Origin":"https://a.example",)"
                                                 R"("Access-Control-Request-Method":"GET")");
  auto out = cors.invoke(preflight, InvocationContext{});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(api.calls, 1);
  FakeApi plain;
  EXPECT_EQ(*out, *plain.invoke(preflight, InvocationContext{}));
}

TEST(CorsHandler, NotAProxyEventIsTheApisAnswer) {
  FakeApi api;
  CorsHandler cors(api, "*");
  auto out = cors.invoke("[1,2]", InvocationContext{});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(api.calls, 1);
  EXPECT_EQ(out->find("Access-Control"), std::string::npos);
}

}  // namespace
}  // namespace cartflow::functions
