// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway_event.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace cartflow::platform {
namespace {

namespace json = boost::json;

// Compares an event with a golden document: every top-level member exactly, and in
// requestContext (and its identity) every member the golden names (the codec may add constant
// members such as resourceId that the gateway does not decide).
void expect_event(const std::string& actual_text, const std::string& golden_text) {
  json::object actual = json::parse(actual_text).as_object();
  json::object golden = json::parse(golden_text).as_object();
  json::object actual_ctx = actual["requestContext"].as_object();
  json::object golden_ctx = golden["requestContext"].as_object();
  actual.erase("requestContext");
  golden.erase("requestContext");
  EXPECT_EQ(actual, golden) << json::serialize(actual) << "\n  vs golden\n" << json::serialize(golden);
  for (const auto& [key, value] : golden_ctx) {
    if (key == "identity") {
      for (const auto& [ik, iv] : value.as_object()) {
        EXPECT_EQ(actual_ctx["identity"].as_object()[ik], iv) << "identity." << ik;
      }
    } else {
      EXPECT_EQ(actual_ctx[key], value) << "requestContext." << std::string_view(key);
    }
  }
}

EventContext context() {
  EventContext c;
  c.request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
  c.stage = "Dev";
  c.api_key = "K3yValue";
  c.account_id = "123456789012";
  c.api_id = "cartflow";
  c.request_time_ms = 1'715'781'600'000;
  return c;
}

TEST(ProxyEvent, GoldenWithQueryStringsRepeatedHeadersAndPathParameters) {
  HttpRequest req;
  req.method = "DELETE";
  req.target = "/Dev/cart/user%201/p-9?all=true&tag=a&tag=b%2Bc&empty&sp=x+y";
  req.headers = {{"Host", "localhost:3000"}, {"X-Tag", "one"}, {"User-Agent", "curl/8"},
                 {"x-tag", "two"},           {"x-api-key", "K3yValue"}};
  req.remote_address = "127.0.0.1";
  SplitTarget target = split_target(req.target, "Dev");
  ResolvedResource resource = resolve_resource(req.method, target.path);
  ASSERT_TRUE(resource.found && resource.method_allowed);
  std::string event = events::to_json(build_proxy_event(req, target, resource, context()));
  expect_event(event, R"({
    "resource": "/cart/{user_id}/{product_id}",
    "path": "/cart/user%201/p-9",
    "httpMethod": "DELETE",
    "headers": {"Host": "localhost:3000", "X-Tag": "two", "User-Agent": "curl/8",
                "x-api-key": "K3yValue"},
    "multiValueHeaders": {"Host": ["localhost:3000"], "X-Tag": ["one", "two"],
                          "User-Agent": ["curl/8"], "x-api-key": ["K3yValue"]},
    "queryStringParameters": {"all": "true", "tag": "b+c", "empty": "", "sp": "x y"},
    "multiValueQueryStringParameters": {"all": ["true"], "tag": ["a", "b+c"], "empty": [""],
                                        "sp": ["x y"]},
    "pathParameters": {"user_id": "user 1", "product_id": "p-9"},
    "stageVariables": null,
    "requestContext": {
      "resourcePath": "/cart/{user_id}/{product_id}",
      "httpMethod": "DELETE",
      "path": "/Dev/cart/user%201/p-9",
      "accountId": "123456789012",
      "stage": "Dev",
      "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      "requestTimeEpoch": 1715781600000,
      "apiId": "cartflow",
      "identity": {"sourceIp": "127.0.0.1", "apiKey": "K3yValue", "userAgent": "curl/8"}
    },
    "body": null,
    "isBase64Encoded": false
  })");
}

TEST(ProxyEvent, GoldenWithBinaryBodyAsBase64AndNoStagePrefix) {
  HttpRequest req;
  req.method = "POST";
  req.target = "/order";
  req.headers = {{"Content-Type", "application/octet-stream"}};
  req.body = std::string("\xff\xfe\x00\x01", 4);
  req.remote_address = "127.0.0.1";
  SplitTarget target = split_target(req.target, "Dev");
  EXPECT_FALSE(target.stage_prefixed);
  ResolvedResource resource = resolve_resource(req.method, target.path);
  EventContext c = context();
  c.api_key = "";
  std::string event = events::to_json(build_proxy_event(req, target, resource, c));
  expect_event(event, R"({
    "resource": "/order", "path": "/order", "httpMethod": "POST",
    "headers": {"Content-Type": "application/octet-stream"},
    "multiValueHeaders": {"Content-Type": ["application/octet-stream"]},
    "queryStringParameters": null, "multiValueQueryStringParameters": null,
    "pathParameters": null, "stageVariables": null,
    "requestContext": {"path": "/Dev/order", "stage": "Dev", "resourcePath": "/order",
                       "identity": {"apiKey": "", "sourceIp": "127.0.0.1"}},
    "body": "//4AAQ==",
    "isBase64Encoded": true
  })");
}

TEST(ProxyEvent, Utf8BodyIsPassedAsText) {
  HttpRequest req;
  req.method = "POST";
  req.target = "/Dev/cart/u1";
  req.body = "{\"name\":\"caf\xc3\xa9\"}";
  SplitTarget target = split_target(req.target, "Dev");
  auto e = build_proxy_event(req, target, resolve_resource("POST", target.path), context());
  EXPECT_FALSE(e.is_base64_encoded);
  EXPECT_EQ(e.body, req.body);
}

TEST(SplitTarget, StripsTheStageOnlyAsAWholeSegment) {
  EXPECT_EQ(split_target("/Dev/products?limit=2", "Dev").path, "/products");
  EXPECT_EQ(split_target("/Dev/products?limit=2", "Dev").query, "limit=2");
  EXPECT_TRUE(split_target("/Dev/products", "Dev").stage_prefixed);
  EXPECT_EQ(split_target("/products", "Dev").path, "/products");
  EXPECT_FALSE(split_target("/products", "Dev").stage_prefixed);
  EXPECT_EQ(split_target("/Dev", "Dev").path, "/");
  EXPECT_EQ(split_target("/Development/x", "Dev").path, "/Development/x");
  EXPECT_EQ(split_target("/dev/products", "Dev").path, "/dev/products");  // stages are case-sensitive
}

TEST(ResolveResource, DistinguishesUnknownPathsFromWrongMethods) {
  auto r = resolve_resource("GET", "/products/abc");
  EXPECT_TRUE(r.found && r.method_allowed);
  EXPECT_EQ(r.resource, "/products/{product_id}");
  EXPECT_EQ(r.path_parameters.at("product_id"), "abc");
  auto wrong = resolve_resource("PUT", "/products/abc");
  EXPECT_TRUE(wrong.found);
  EXPECT_FALSE(wrong.method_allowed);
  EXPECT_FALSE(resolve_resource("GET", "/nothing/here").found);
  EXPECT_TRUE(resolve_resource("GET", "/products/").method_allowed);  // one trailing slash
}

TEST(Utf8, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

TEST(ProxyResponse, MergesHeadersAndDecodesBase64Bodies) {
  events::ApiGatewayResponse r;
  r.status_code = 201;
  r.headers = {{"Content-Type", "text/plain"}, {"Set-Cookie", "ignored"}};
  r.multi_value_headers = {{"set-cookie", {"a=1", "b=2"}}};
  r.body = "aGVsbG8=";
  r.is_base64_encoded = true;
  auto http = from_proxy_response(r);
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->status, 201);
  EXPECT_EQ(http->body, "hello");
  HeaderList expected = {{"set-cookie", "a=1"}, {"set-cookie", "b=2"}, {"Content-Type", "text/plain"}};
  EXPECT_EQ(http->headers, expected);
  r.body = "not base64!";
  EXPECT_FALSE(from_proxy_response(r).ok());
  r.is_base64_encoded = false;
  r.status_code = 42;
  EXPECT_FALSE(from_proxy_response(r).ok());
}

}  // namespace
}  // namespace cartflow::platform
