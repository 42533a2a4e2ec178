// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "events/api_gateway.h"

namespace cartflow::events {
namespace {

// An event as Lambda delivers it for a REST API proxy integration (payload 1.0).
constexpr std::string_view kEvent = R"({
  "resource": "/cart/{user_id}",
  "path": "/cart/user-1",
  "httpMethod": "POST",
  "headers": {"Content-Type": "application/json", "Idempotency-Key": "k-1", "x-api-key": "secret"},
  "multiValueHeaders": {"Content-Type": ["application/json"], "Idempotency-Key": ["k-1"],
                        "x-api-key": ["secret"]},
  "queryStringParameters": null,
  "multiValueQueryStringParameters": null,
  "pathParameters": {"user_id": "user-1"},
  "stageVariables": null,
  "requestContext": {
    "resourceId": "2gxmpl", "resourcePath": "/cart/{user_id}", "httpMethod": "POST",
    "extendedRequestId": "JJbxmplHYosFVYQ=", "requestTime": "10/Mar/2020:00:03:59 +0000",
    "path": "/Dev/cart/user-1", "accountId": "123456789012", "protocol": "HTTP/1.1",
    "stage": "Dev", "domainPrefix": "70ixmpl4fl", "requestTimeEpoch": 1583798639428,
    "requestId": "77375676-xmpl-4b79-853a-f982474efe18",
    "identity": {"cognitoIdentityPoolId": null, "accountId": null, "cognitoIdentityId": null,
                 "caller": null, "sourceIp": "52.255.255.12", "principalOrgId": null,
                 "accessKey": null, "cognitoAuthenticationType": null,
                 "cognitoAuthenticationProvider": null, "userArn": null,
                 "userAgent": "curl/7.64.0", "user": null, "apiKey": "secret"},
    "domainName": "70ixmpl4fl.execute-api.us-east-2.amazonaws.com", "apiId": "70ixmpl4fl"
  },
  "body": "{\"product_id\":\"p1\",\"quantity\":2}",
  "isBase64Encoded": false
})";

TEST(ApiGatewayEvent, ParsesLambdaRestProxyEvent) {
  auto r = parse_api_gateway_request(kEvent);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->resource, "/cart/{user_id}");
  EXPECT_EQ(r->path, "/cart/user-1");
  EXPECT_EQ(r->http_method, "POST");
  EXPECT_EQ(r->header("idempotency-key"), "k-1");
  EXPECT_EQ(r->header("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(r->header("missing").has_value());
  EXPECT_EQ(r->path_parameters.at("user_id"), "user-1");
  EXPECT_TRUE(r->query_string_parameters.empty());
  EXPECT_EQ(r->request_context.stage, "Dev");
  EXPECT_EQ(r->request_context.request_id, "77375676-xmpl-4b79-853a-f982474efe18");
  EXPECT_EQ(r->request_context.source_ip, "52.255.255.12");
  EXPECT_EQ(r->request_context.request_time_epoch, 1583798639428);
  EXPECT_EQ(r->body, R"({"product_id":"p1","quantity":2})");
  EXPECT_FALSE(r->is_base64_encoded);
}

TEST(ApiGatewayEvent, RoundTripsThroughJson) {
  auto r = parse_api_gateway_request(kEvent);
  ASSERT_TRUE(r.ok());
  auto again = parse_api_gateway_request(to_json(*r));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->headers, r->headers);
  EXPECT_EQ(again->multi_value_headers, r->multi_value_headers);
  EXPECT_EQ(again->path_parameters, r->path_parameters);
  EXPECT_EQ(again->body, r->body);
  EXPECT_EQ(again->request_context.request_id, r->request_context.request_id);
}

TEST(ApiGatewayEvent, MultiValueQueryAndNullBody) {
  auto r = parse_api_gateway_request(
      R"({"path":"/products","httpMethod":"GET","queryStringParameters":{"limit":"5"},
          "multiValueQueryStringParameters":{"limit":["3","5"],"next_token":["t"]},"body":null})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->query("limit"), "5");
  EXPECT_EQ(r->query("next_token"), "t");
  EXPECT_FALSE(r->body.has_value());
}

TEST(ApiGatewayEvent, RejectsMalformedEvents) {
  EXPECT_FALSE(parse_api_gateway_request("not json").ok());
  EXPECT_FALSE(parse_api_gateway_request("[]").ok());
  EXPECT_FALSE(parse_api_gateway_request(R"({"path":"/x"})").ok());
  EXPECT_FALSE(parse_api_gateway_request(R"({"path":"/x","httpMethod":7})").ok());
  EXPECT_FALSE(parse_api_gateway_request(R"({"path":"/x","httpMethod":"GET","headers":[]})").ok());
  EXPECT_FALSE(parse_api_gateway_request(R"({"path":"/x","httpMethod":"GET","body":{}})").ok());
}

TEST(ApiGatewayResponseCodec, WritesWhatLambdaExpects) {
  ApiGatewayResponse r;
  r.status_code = 201;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"a\":\"\\\"\"}";
  std::string json = to_json(r);
  EXPECT_NE(json.find("\"statusCode\":201"), std::string::npos);
  EXPECT_NE(json.find("\"isBase64Encoded\":false"), std::string::npos);
  auto back = parse_api_gateway_response(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->status_code, 201);
  EXPECT_EQ(back->body, r.body);
  EXPECT_EQ(back->header("content-type"), "application/json");
}

}  // namespace
}  // namespace cartflow::events
