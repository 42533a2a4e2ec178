// SPDX-License-Identifier: Apache-2.0
// The reference workshop's flow, with the events API Gateway (stage Dev) hands to Lambda:
// load products, list them, get one, add two products to a cart, read the cart, place the
// order with the client's total and order_items (the cart items, as the workshop sends them).
#include "api_fixture.h"

namespace cartflow::api_testing {
namespace {

// A REST proxy v1 event, written out as Lambda receives it.
std::string workshop_event(const std::string& method, const std::string& resource,
                           const std::string& path, const std::string& path_parameters,
                           const std::optional<std::string>& body) {
  std::string body_json = "null";
  if (body) {
    body_json.clear();
    model::append_json_string(body_json, *body);
  }
  return R"ev({
  "resource": ")ev" + resource + R"ev(",
  "path": ")ev" + path + R"ev(",
  "httpMethod": ")ev" + method + R"ev(",
  "headers": {
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate, br",
    "CloudFront-Forwarded-Proto": "https",
    "CloudFront-Is-Desktop-Viewer": "true",
    "CloudFront-Viewer-Country": "US",
    "Content-Type": "application/json",
    "Host": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
    "Postman-Token": "5f1c1f0e-8a7a-4f4e-9d6a-0d2a1b3c4d5e",
    "User-Agent": "PostmanRuntime/7.36.0",
    "Via": "1.1 7f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d.cloudfront.net (CloudFront)",
    "X-Amz-Cf-Id": "kXmpl3C5-0sVtQ8Hcz1JQbH2yF0m9O3eC1o2a3Lw4p5Q6r7S8t9U0v==",
    "X-Amzn-Trace-Id": "Root=1-65f1c2d3-4e5f6a7b8c9d0e1f2a3b4c5d",
    "x-api-key": "Yk3xmplQvA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p",
    "X-Forwarded-For": "198.51.100.23, 130.176.0.1",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Proto": "https"
  },
  "multiValueHeaders": {
    "Accept": ["*/*"],
    "Content-Type": ["application/json"],
    "Host": ["a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"],
    "User-Agent": ["PostmanRuntime/7.36.0"],
    "x-api-key": ["Yk3xmplQvA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p"],
    "X-Forwarded-For": ["198.51.100.23, 130.176.0.1"],
    "X-Forwarded-Port": ["443"],
    "X-Forwarded-Proto": ["https"]
  },
  "queryStringParameters": null,
  "multiValueQueryStringParameters": null,
  "pathParameters": )ev" + path_parameters + R"ev(,
  "stageVariables": null,
  "requestContext": {
    "resourceId": "x1y2z3",
    "resourcePath": ")ev" + resource + R"ev(",
    "httpMethod": ")ev" + method + R"ev(",
    "extendedRequestId": "UvXmplFJIAMEbXg=",
    "requestTime": "01/May/2024:12:00:00 +0000",
    "path": "/Dev)ev" + path + R"ev(",
    "accountId": "123456789012",
    "protocol": "HTTP/1.1",
    "stage": "Dev",
    "domainPrefix": "a1b2c3d4e5",
    "requestTimeEpoch": 1714564800000,
    "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    "identity": {
      "cognitoIdentityPoolId": null,
      "cognitoIdentityId": null,
      "apiKey": "Yk3xmplQvA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p",
      "principalOrgId": null,
      "cognitoAuthenticationType": null,
      "userArn": null,
      "apiKeyId": "k9xmpl7d2e",
      "userAgent": "PostmanRuntime/7.36.0",
      "accountId": null,
      "caller": null,
      "sourceIp": "198.51.100.23",
      "accessKey": null,
      "cognitoAuthenticationProvider": null,
      "user": null
    },
    "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
    "apiId": "a1b2c3d4e5"
  },
  "body": )ev" + body_json + R"ev(,
  "isBase64Encoded": false
})ev";
}

TEST_F(ApiTest, ReferenceWorkshopFlowWithLambdaEvents) {
  // 1. Load the sample catalog.
  auto loaded = send_event(workshop_event("POST", "/loadProducts", "/loadProducts", "null", std::nullopt));
  ASSERT_EQ(loaded.status, 200) << loaded.raw.body;
  EXPECT_EQ(loaded.num("total"), 20);

  // 2. List the products.
  auto listed = send_event(workshop_event("GET", "/products", "/products", "null", std::nullopt));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.num("total"), 20);
  ASSERT_EQ(listed.list("products").size(), 20u);
  const auto& p1 = *listed.list("products")[0].as_m();
  const auto& p2 = *listed.list("products")[5].as_m();
  std::string id1 = *p1.at("productId").as_s();
  std::string id2 = *p2.at("productId").as_s();

  // 3. Get one product.
  auto one = send_event(workshop_event("GET", "/products/{product_id}", "/products/" + id1,
                                       R"({"product_id":")" + id1 + "\"}", std::nullopt));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.str("productId"), id1);
  EXPECT_EQ(one.str("name"), *p1.at("name").as_s());
  std::int64_t price1 = one.num("price");
  std::int64_t price2 = p2.at("price").as_n()->to_int64().value();

  // 4. Add two products to user1's cart.
  for (auto [id, quantity] : {std::pair{id1, 2}, std::pair{id2, 1}}) {
    auto added = send_event(workshop_event(
        "POST", "/cart/{user_id}", "/cart/user1", R"({"user_id":"user1"})",
        R"({"product_id": ")" + id + R"(", "quantity": )" + std::to_string(quantity) + "}"));
    ASSERT_EQ(added.status, 200) << added.raw.body;
    EXPECT_EQ(added.str("productId"), id);
    EXPECT_EQ(added.str("message"), "product added to cart");
  }

  // 5. Read the cart.
  auto cart = send_event(workshop_event("GET", "/cart/{user_id}", "/cart/user1",
                                        R"({"user_id":"user1"})", std::nullopt));
  ASSERT_EQ(cart.status, 200);
  ASSERT_EQ(cart.list("cart_items").size(), 2u);
  for (const auto& item : cart.list("cart_items")) {
    EXPECT_EQ(*item.as_m()->at("cartProductStatus").as_s(), "PENDING");
    EXPECT_EQ(*item.as_m()->at("userId").as_s(), "user1");
  }

  // 6. Place the order as the workshop does: total and the cart items from the client.
  std::int64_t total = 2 * price1 + price2;
  std::string order_body = R"({"user_id": "user1", "order_total": )" + std::to_string(total) +
                           R"(, "order_items": )" +
                           model::to_plain_json(model::AttributeValue(cart.list("cart_items"))) + "}";
  auto order = send_event(workshop_event("POST", "/order", "/order", "null", order_body));
  ASSERT_EQ(order.status, 201) << order.raw.body;
  EXPECT_EQ(order.str("message"), "order placed successfully");
  EXPECT_EQ(order.num("order_total"), total);
  EXPECT_EQ(order.list("order_items").size(), 2u);
  EXPECT_EQ(order.raw.header("X-Request-Id"), "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");

  // The order is readable and the cart is empty.
  std::string order_id = order.str("order_id");
  auto read = send_event(workshop_event("GET", "/orders/{order_id}", "/orders/" + order_id,
                                        R"({"order_id":")" + order_id + "\"}", std::nullopt));
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.str("order_status"), "ORDERED");
  auto after = send_event(workshop_event("GET", "/cart/{user_id}", "/cart/user1",
                                         R"({"user_id":"user1"})", std::nullopt));
  EXPECT_TRUE(after.list("cart_items").empty());
}

}  // namespace
}  // namespace cartflow::api_testing
