// SPDX-License-Identifier: Apache-2.0
// The reference workshop's flow, with the events API Gateway (stage Dev) hands to Lambda:
// load products, list them, get one, add two products to a cart, read the cart, place the
// order with the client's total and order_items (the cart items, as the workshop sends them).
#include "api_fixture.h"
#include "workshop_events.h"

namespace cartflow::api_testing {
namespace {

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
