// SPDX-License-Identifier: Apache-2.0
// The reference workshop's flow through `cartflow invoke api --event FILE --db PATH`, one
// process per event, as `sam local invoke` would run it; every response is checked.
#include <chrono>
#include <fstream>

#include <gtest/gtest.h>

#include "api_fixture.h"
#include "support/child_process.h"
#include "workshop_events.h"

namespace cartflow::api_testing {
namespace {

class InvokeE2e : public ::testing::Test {
 protected:
  // Runs the binary on `event`; returns the parsed proxy response.
  Response invoke(const std::string& event) {
    std::string file = dir_.file("event-" + std::to_string(++count_) + ".json");
    std::ofstream(file) << event;
    support::CommandResult run = support::run_command(
        {CARTFLOW_BIN, "invoke", "api", "--event", file, "--db", dir_.file("cartflow.db")},
        {dir_.file("stdout.txt"), dir_.file("stderr.txt")}, std::chrono::seconds(120));
    EXPECT_TRUE(run.started) << run.err;
    const std::string& out = run.out;
    EXPECT_EQ(run.exit_code, 0) << out;
    Response r;
    auto parsed = events::parse_api_gateway_response(out);
    EXPECT_TRUE(parsed.ok()) << out;
    if (!parsed.ok()) return r;
    r.raw = std::move(*parsed);
    r.status = r.raw.status_code;
    auto body = model::parse_plain_json(r.raw.body);
    if (body.ok() && body->as_m() != nullptr) r.body = std::move(*body->as_m());
    return r;
  }

  TempDir dir_;
  int count_ = 0;
};

TEST_F(InvokeE2e, ReferenceWorkshopFlow) {
  auto loaded = invoke(workshop_event("POST", "/loadProducts", "/loadProducts", "null", std::nullopt));
  ASSERT_EQ(loaded.status, 200) << loaded.raw.body;
  EXPECT_EQ(loaded.num("total"), 20);

  auto listed = invoke(workshop_event("GET", "/products", "/products", "null", std::nullopt));
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.list("products").size(), 20u);
  std::string id1 = *listed.list("products")[2].as_m()->at("productId").as_s();
  std::string id2 = *listed.list("products")[9].as_m()->at("productId").as_s();

  auto one = invoke(workshop_event("GET", "/products/{product_id}", "/products/" + id1,
                                   R"({"product_id":")" + id1 + "\"}", std::nullopt));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.str("productId"), id1);
  std::int64_t price1 = one.num("price");
  std::int64_t price2 =
      listed.list("products")[9].as_m()->at("price").as_n()->to_int64().value();

  for (auto [id, quantity] : {std::pair{id1, 3}, std::pair{id2, 1}}) {
    auto added = invoke(workshop_event(
        "POST", "/cart/{user_id}", "/cart/user1", R"({"user_id":"user1"})",
        R"({"product_id": ")" + id + R"(", "quantity": )" + std::to_string(quantity) + "}"));
    ASSERT_EQ(added.status, 200) << added.raw.body;
    EXPECT_EQ(added.str("message"), "product added to cart");
  }

  auto cart = invoke(workshop_event("GET", "/cart/{user_id}", "/cart/user1",
                                    R"({"user_id":"user1"})", std::nullopt));
  ASSERT_EQ(cart.status, 200);
  ASSERT_EQ(cart.list("cart_items").size(), 2u);

  std::int64_t total = 3 * price1 + price2;
  std::string body = R"({"user_id": "user1", "order_total": )" + std::to_string(total) +
                     R"(, "order_items": )" +
                     model::to_plain_json(model::AttributeValue(cart.list("cart_items"))) + "}";
  auto order = invoke(workshop_event("POST", "/order", "/order", "null", body));
  ASSERT_EQ(order.status, 201) << order.raw.body;
  EXPECT_EQ(order.str("message"), "order placed successfully");
  EXPECT_EQ(order.num("order_total"), total);

  auto orders = invoke(workshop_event("GET", "/users/{user_id}/orders", "/users/user1/orders",
                                      R"({"user_id":"user1"})", std::nullopt));
  ASSERT_EQ(orders.status, 200);
  ASSERT_EQ(orders.list("orders").size(), 1u);
  EXPECT_EQ(*orders.list("orders")[0].as_m()->at("order_id").as_s(), order.str("order_id"));
}

}  // namespace
}  // namespace cartflow::api_testing
