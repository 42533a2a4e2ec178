// SPDX-License-Identifier: Apache-2.0
// Catalog and cart routes, plus the handler-wide rules (404, 405, 413, 500, 503, base64).
#include <set>

#include "api_fixture.h"

namespace cartflow::api_testing {
namespace {

TEST_F(ApiTest, LoadProductsLoadsTwentyAndIsIdempotent) {
  auto r = load();
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.num("total"), 20);
  Dump first = dump();
  EXPECT_EQ(first.items.size(), 20u);
  EXPECT_EQ(load().status, 200);
  EXPECT_EQ(dump().items, first.items);
}

TEST_F(ApiTest, ListProductsReturnsWholeCatalogWithoutKeys) {
  load();
  auto r = get("/products");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.num("total"), 20);
  ASSERT_EQ(r.list("products").size(), 20u);
  const auto& first = *r.list("products")[0].as_m();
  EXPECT_EQ(first.count("PK"), 0u);
  EXPECT_EQ(first.count("SK"), 0u);
  for (const char* f : {"productId", "name", "price", "category", "package", "pictures", "tags"}) {
    EXPECT_EQ(first.count(f), 1u) << f;
  }
  EXPECT_EQ(r.body.count("next_token"), 0u);
  EXPECT_EQ(r.raw.header("content-type"), "application/json");
}

TEST_F(ApiTest, ListProductsPaginatesWithOpaqueToken) {
  load();
  std::set<std::string> seen;
  std::map<std::string, std::string> query{{"limit", "7"}};
  int pages = 0;
  while (true) {
    auto r = get("/products", query);
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ++pages;
    for (const auto& p : r.list("products")) seen.insert(*p.as_m()->at("productId").as_s());
    if (r.body.count("next_token") == 0) break;
    EXPECT_LE(r.list("products").size(), 7u);
    query["next_token"] = r.str("next_token");
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 20u);
}

TEST_F(ApiTest, GetProductAndUnknownProduct) {
  load();
  std::string id = product_ids()[3];
  auto r = get("/products/" + id);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.str("productId"), id);
  EXPECT_EQ(r.body.count("SK"), 0u);
  auto missing = get("/products/no-such-product");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.str("code"), "PRODUCT_NOT_FOUND");
  EXPECT_EQ(missing.str("field"), "product_id");
  EXPECT_FALSE(missing.str("message").empty());
}

TEST_F(ApiTest, AddToCartThenReadCart) {
  load();
  auto ids = product_ids();
  auto r = add("u1", ids[0], 2);
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.str("productId"), ids[0]);
  EXPECT_EQ(r.str("message"), "product added to cart");
  auto cart = get("/cart/u1");
  ASSERT_EQ(cart.status, 200);
  ASSERT_EQ(cart.list("cart_items").size(), 1u);
  const auto& item = *cart.list("cart_items")[0].as_m();
  EXPECT_EQ(*item.at("userId").as_s(), "u1");
  EXPECT_EQ(*item.at("productId").as_s(), ids[0]);
  EXPECT_EQ(item.at("quantity").as_n()->to_int64().value(), 2);
  EXPECT_EQ(*item.at("cartProductStatus").as_s(), "PENDING");
  EXPECT_EQ(*item.at("addedOn").as_s(), "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(item.count("PK"), 0u);
}

TEST_F(ApiTest, AddingAgainReplacesQuantityWithNewAddedOn) {
  load();
  auto ids = product_ids();
  add("u1", ids[0], 2);
  add("u1", ids[0], 5);  // same millisecond: addedOn must still differ
  auto first = stored("USER#u1", "PRODUCT#" + ids[0]);
  clock_.advance_ms(1000);
  add("u1", ids[0], 7);
  auto cart = get("/cart/u1");
  ASSERT_EQ(cart.list("cart_items").size(), 1u);
  const auto& item = *cart.list("cart_items")[0].as_m();
  EXPECT_EQ(item.at("quantity").as_n()->to_int64().value(), 7);
  EXPECT_EQ(*item.at("addedOn").as_s(), "2024-05-01T12:00:01.000Z");
  EXPECT_NE(*first->at("addedOn").as_s(), "2024-05-01T12:00:00.000Z");
}

TEST_F(ApiTest, AddUnknownProductIs404AndWritesNothing) {
  load();
  Dump before = dump();
  auto r = add("u1", "nope", 1);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.str("code"), "PRODUCT_NOT_FOUND");
  EXPECT_EQ(dump(), before);
}

TEST_F(ApiTest, CartOfUnknownUserIsEmpty) {
  auto r = get("/cart/nobody");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.list("cart_items").empty());
  EXPECT_EQ(r.body.count("cart_items"), 1u);
}

TEST_F(ApiTest, RemoveFromCart) {
  load();
  auto ids = product_ids();
  add("u1", ids[0], 1);
  add("u1", ids[1], 1);
  auto r = send({"DELETE", "/cart/u1/" + ids[0], std::nullopt, {}, {}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.str("productId"), ids[0]);
  EXPECT_EQ(get("/cart/u1").list("cart_items").size(), 1u);
  auto again = send({"DELETE", "/cart/u1/" + ids[0], std::nullopt, {}, {}});
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.str("code"), "CART_ITEM_NOT_FOUND");
  // An item claimed by an order cannot be removed.
  ASSERT_EQ(post("/order", R"({"user_id":"u1"})").status, 201);
  auto claimed = send({"DELETE", "/cart/u1/" + ids[1], std::nullopt, {}, {}});
  EXPECT_EQ(claimed.status, 409);
  EXPECT_EQ(claimed.str("code"), "CART_ITEM_ORDERED");
}

TEST_F(ApiTest, HealthNeedsNothing) {
  auto r = get("/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.str("status"), "ok");
}

TEST_F(ApiTest, UnknownRouteIs404) {
  auto r = get("/nowhere");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.str("code"), "ROUTE_NOT_FOUND");
  EXPECT_EQ(get("/products/a/b").status, 404);
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  auto r = send({"PUT", "/cart/u1", std::string("{}"), {}, {}});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.str("code"), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.raw.header("Allow"), "POST, GET");
}

TEST_F(ApiTest, OversizedBodyIs413) {
  load();
  std::string big = R"({"product_id":"x","quantity":1,"pad":")" + std::string(6 * 1024 * 1024, 'a') + "\"}";
  Dump before = dump();
  auto r = post("/cart/u1", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.str("code"), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(dump(), before);
}

TEST_F(ApiTest, Base64BodyIsDecoded) {
  load();
  std::string id = product_ids()[0];
  std::string body = R"({"product_id":")" + id + R"(","quantity":3})";
  auto r = send({"POST", "/cart/u1", model::base64_encode(body), {}, {}, true});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(get("/cart/u1").list("cart_items").size(), 1u);
}

TEST_F(ApiTest, StoreFailureIs500WithRequestIdAndNoDetail) {
  faulty_->fail_all(model::Error::internal("sqlite: disk image is malformed at page 7"));
  auto r = get("/products");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.str("code"), "INTERNAL_ERROR");
  EXPECT_FALSE(r.str("request_id").empty());
  EXPECT_EQ(r.raw.header("X-Request-Id"), r.str("request_id"));
  EXPECT_EQ(r.raw.body.find("sqlite"), std::string::npos);
  EXPECT_EQ(r.raw.body.find("malformed"), std::string::npos);
}

TEST_F(ApiTest, ThrottlingIs503WithRetryAfter) {
  faulty_->fail_all(model::Error::throttled("slow down"));
  auto r = get("/cart/u1");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.str("code"), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(r.raw.header("Retry-After"), "1");
}

TEST_F(ApiTest, MalformedEventIsAFunctionError) {
  functions::InvocationContext context;
  EXPECT_FALSE(handler_->invoke("{\"nope\":1}", context).ok());
  EXPECT_FALSE(handler_->invoke("garbage", context).ok());
}

}  // namespace
}  // namespace cartflow::api_testing
