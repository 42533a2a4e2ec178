// SPDX-License-Identifier: Apache-2.0
// POST /order and the order routes beyond the reference.
#include <regex>

#include "api_fixture.h"

namespace cartflow::api_testing {
namespace {

using OrderTest = CatalogApiTest;

TEST_F(OrderTest, PlacesWholeCartInOneTransaction) {
  add("u1", ids_[0], 2);
  add("u1", ids_[1], 1);
  std::int64_t expected = 2 * price_of(ids_[0]) + price_of(ids_[1]);
  int transactions = faulty_->calls(TableOp::kTransactWrite);
  auto r = post("/order", R"({"user_id":"u1","order_total":)" + std::to_string(expected) + "}");
  ASSERT_EQ(r.status, 201) << r.raw.body;
  EXPECT_EQ(faulty_->calls(TableOp::kTransactWrite) - transactions, 1);
  EXPECT_EQ(faulty_->last_transaction_size(), 1u + 2u + 2u);  // order, 2 lines, 2 claims
  EXPECT_EQ(r.str("message"), "order placed successfully");
  std::string order_id = r.str("order_id");
  EXPECT_TRUE(std::regex_match(order_id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << order_id;
  EXPECT_EQ(r.num("order_total"), expected);
  EXPECT_EQ(r.str("order_status"), "ORDERED");
  EXPECT_EQ(r.str("user_id"), "u1");
  EXPECT_EQ(r.str("order_date"), "2024-05-01T12:00:00.000Z");
  ASSERT_EQ(r.list("order_items").size(), 2u);
  EXPECT_EQ(r.raw.header("Location"), "/orders/" + order_id);

  auto order = stored("ORDER#" + order_id, "ORDER#" + order_id);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(*order->at("GSI1PK").as_s(), "USER#u1");
  EXPECT_EQ(*order->at("order_status").as_s(), "ORDERED");
  // Lines: one per product, on orderProducts, never with order_status (the stream filter).
  auto line = stored("ORDER#" + order_id, "LINE#" + ids_[0]);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->count("order_status"), 0u);
  EXPECT_EQ(*line->at("GSI2PK").as_s(), "PRODUCT#" + ids_[0]);
  // The cart items are claimed: no longer in the cart, still PENDING until the pipeline runs.
  auto cart_item = stored("USER#u1", "PRODUCT#" + ids_[0]);
  EXPECT_EQ(*cart_item->at("order_id").as_s(), order_id);
  EXPECT_EQ(*cart_item->at("cartProductStatus").as_s(), "PENDING");
  // Each order item keeps the cart item's addedOn.
  EXPECT_EQ(*r.list("order_items")[0].as_m()->at("addedOn").as_s(),
            *cart_item->at("addedOn").as_s());
  EXPECT_TRUE(get("/cart/u1").list("cart_items").empty());
}

TEST_F(OrderTest, OrdersOnlyListedItems) {
  add("u1", ids_[0], 2);
  add("u1", ids_[1], 1);
  auto r = post("/order", R"({"user_id":"u1","order_items":[")" + ids_[1] + R"("]})");
  ASSERT_EQ(r.status, 201) << r.raw.body;
  EXPECT_EQ(r.num("order_total"), price_of(ids_[1]));
  auto cart = get("/cart/u1");
  ASSERT_EQ(cart.list("cart_items").size(), 1u);
  EXPECT_EQ(*cart.list("cart_items")[0].as_m()->at("productId").as_s(), ids_[0]);
}

TEST_F(OrderTest, AcceptsCartItemsAsTheReferenceClientsSendThem) {
  add("u1", ids_[0], 2);
  add("u1", ids_[2], 3);
  auto cart = get("/cart/u1");
  std::string items = model::to_plain_json(model::AttributeValue(cart.list("cart_items")));
  std::int64_t total = 2 * price_of(ids_[0]) + 3 * price_of(ids_[2]);
  auto r = post("/order", R"({"user_id":"u1","order_total":)" + std::to_string(total) +
                              R"(,"order_items":)" + items + "}");
  ASSERT_EQ(r.status, 201) << r.raw.body;
  EXPECT_EQ(r.num("order_total"), total);
}

TEST_F(OrderTest, WrongClientTotalIs422WithComputedTotalAndNothingWritten) {
  add("u1", ids_[0], 2);
  Dump before = dump();
  auto r = post("/order", R"({"user_id":"u1","order_total":1})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.str("code"), "ORDER_TOTAL_MISMATCH");
  EXPECT_EQ(r.str("field"), "order_total");
  EXPECT_EQ(r.num("computed_total"), 2 * price_of(ids_[0]));
  EXPECT_EQ(dump(), before);
}

TEST_F(OrderTest, EmptyCartIs400) {
  auto r = post("/order", R"({"user_id":"u1"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.str("code"), "EMPTY_ORDER");
}

TEST_F(OrderTest, ItemNotInCartOrWrongQuantityIs422) {
  add("u1", ids_[0], 2);
  auto r = post("/order", R"({"user_id":"u1","order_items":[")" + ids_[1] + R"("]})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.str("code"), "ITEM_NOT_IN_CART");
  EXPECT_EQ(r.str("field"), "order_items[0]");
  auto q = post("/order", R"({"user_id":"u1","order_items":[{"productId":")" + ids_[0] +
                              R"(","quantity":3}]})");
  EXPECT_EQ(q.status, 422);
  EXPECT_EQ(q.str("code"), "QUANTITY_MISMATCH");
  EXPECT_EQ(q.str("field"), "order_items[0].quantity");
}

TEST_F(OrderTest, AnOrderedItemCannotBeOrderedTwice) {
  add("u1", ids_[0], 1);
  ASSERT_EQ(post("/order", R"({"user_id":"u1"})").status, 201);
  Dump before = dump();
  auto again = post("/order", R"({"user_id":"u1","order_items":[")" + ids_[0] + R"("]})");
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.str("code"), "ITEM_NOT_IN_CART");
  EXPECT_EQ(dump(), before);
}

TEST_F(OrderTest, ProductRemovedFromCatalogIs422) {
  add("u1", ids_[0], 1);
  ASSERT_TRUE(table_->remove(ports::DeleteRequest{Item{{"PK", "PRODUCT"}, {"SK", "PRODUCT#" + ids_[0]}}, std::nullopt, ports::ReturnValues::kNone}).ok());
  auto r = post("/order", R"({"user_id":"u1"})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.str("code"), "PRODUCT_NOT_FOUND");
}

TEST_F(OrderTest, CartChangedDuringPlacementIs409AndNothingWritten) {
  add("u1", ids_[0], 1);
  Dump before;
  faulty_->before_next(TableOp::kTransactWrite, [&] {
    // A concurrent POST /cart replaces the item (new addedOn) between read and write.
    clock_.advance_ms(5);
    Item fresh{{"PK", "USER#u1"}, {"SK", "PRODUCT#" + ids_[0]}, {"userId", "u1"},
               {"productId", ids_[0]}, {"quantity", AttributeValue::integer(9)},
               {"cartProductStatus", "PENDING"}, {"addedOn", "2024-05-01T12:00:00.005Z"}};
    ASSERT_TRUE(table_->put(ports::PutRequest{fresh, std::nullopt}).ok());
    before = dump();
  });
  auto r = post("/order", R"({"user_id":"u1"})");
  EXPECT_EQ(r.status, 409) << r.raw.body;
  EXPECT_EQ(r.str("code"), "CART_CHANGED");
  EXPECT_EQ(dump(), before);
}

TEST_F(OrderTest, ReAddAfterOrderIsAFreshPendingItemThePipelineCannotMark) {
  add("u1", ids_[0], 1);
  auto order = post("/order", R"({"user_id":"u1"})");
  ASSERT_EQ(order.status, 201);
  std::string ordered_added_on = *order.list("order_items")[0].as_m()->at("addedOn").as_s();
  // The pipeline marks the ordered incarnation.
  model::Update mark;
  mark.set(model::path("cartProductStatus"), "ORDERED");
  Item key{{"PK", "USER#u1"}, {"SK", "PRODUCT#" + ids_[0]}};
  ASSERT_TRUE(table_->update(ports::UpdateRequest{key, mark, model::Cond::eq(model::path("addedOn"), ordered_added_on), ports::ReturnValues::kNone}).ok());
  ASSERT_EQ(add("u1", ids_[0], 4).status, 200);
  auto item = stored("USER#u1", "PRODUCT#" + ids_[0]);
  EXPECT_EQ(*item->at("cartProductStatus").as_s(), "PENDING");
  EXPECT_NE(*item->at("addedOn").as_s(), ordered_added_on);
  EXPECT_EQ(item->count("order_id"), 0u);
  // A late redelivery of the pipeline's update no longer matches: the new item stays PENDING.
  auto late = table_->update(ports::UpdateRequest{key, mark, model::Cond::eq(model::path("addedOn"), ordered_added_on), ports::ReturnValues::kNone});
  EXPECT_FALSE(late.ok());
  EXPECT_EQ(get("/cart/u1").list("cart_items").size(), 1u);
}

TEST_F(OrderTest, OrdersSpreadOverPartitionsAndIndexes) {
  add("u1", ids_[0], 1);
  auto a = post("/order", R"({"user_id":"u1"})");
  add("u2", ids_[0], 2);
  auto b = post("/order", R"({"user_id":"u2"})");
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_NE(a.str("order_id"), b.str("order_id"));
  EXPECT_FALSE(stored("ORDER", "ORDER#" + a.str("order_id")).has_value());
  // orderProducts: the orders of a product.
  ports::QueryRequest q;
  q.index_name = "orderProducts";
  q.key_condition = model::KeyCondition::hash("GSI2PK", "PRODUCT#" + ids_[0]);
  auto lines = table_->query(q);
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(lines->items.size(), 2u);
}

TEST_F(OrderTest, GetOrder) {
  add("u1", ids_[0], 1);
  auto placed = post("/order", R"({"user_id":"u1"})");
  auto r = get("/orders/" + placed.str("order_id"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.str("order_id"), placed.str("order_id"));
  EXPECT_EQ(r.num("order_total"), placed.num("order_total"));
  EXPECT_EQ(r.body.count("GSI1PK"), 0u);
  auto missing = get("/orders/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.str("code"), "ORDER_NOT_FOUND");
}

TEST_F(OrderTest, CancelOnlyOrderedOrders) {
  add("u1", ids_[0], 1);
  std::string id = post("/order", R"({"user_id":"u1"})").str("order_id");
  auto r = post("/orders/" + id + "/cancel", std::nullopt);
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.str("order_status"), "CANCELLED");
  EXPECT_EQ(get("/orders/" + id).str("order_status"), "CANCELLED");
  Dump before = dump();
  auto again = post("/orders/" + id + "/cancel", std::nullopt);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.str("code"), "ORDER_NOT_CANCELLABLE");
  EXPECT_EQ(again.str("order_status"), "CANCELLED");
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(post("/orders/nope/cancel", std::nullopt).status, 404);
}

TEST_F(OrderTest, CancelReleasesTheClaimedCartItemsInTheSameTransaction) {
  add("u1", ids_[0], 1);
  add("u1", ids_[1], 2);
  auto placed = post("/order", R"({"user_id":"u1"})");
  ASSERT_EQ(placed.status, 201) << placed.raw.body;
  const std::string id = placed.str("order_id");
  const std::string ordered_added_on = *stored("USER#u1", "PRODUCT#" + ids_[0])->at("addedOn").as_s();
  EXPECT_TRUE(get("/cart/u1").list("cart_items").empty());
  clock_.advance_ms(1000);

  int transactions = faulty_->calls(TableOp::kTransactWrite);
  ASSERT_EQ(post("/orders/" + id + "/cancel", std::nullopt).status, 200);
  EXPECT_EQ(faulty_->calls(TableOp::kTransactWrite) - transactions, 1);
  EXPECT_EQ(faulty_->last_transaction_size(), 1u + 2u);  // the order and two releases
  for (const auto& product : {ids_[0], ids_[1]}) {
    auto item = stored("USER#u1", "PRODUCT#" + product);
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(*item->at("cartProductStatus").as_s(), "PENDING") << product;
    EXPECT_EQ(item->count("order_id"), 0u) << product;
    // A fresh incarnation: the cancelled order's pipeline message cannot match it any more.
    EXPECT_NE(*item->at("addedOn").as_s(), ordered_added_on) << product;
  }
  ASSERT_EQ(get("/cart/u1").list("cart_items").size(), 2u);

  // Released items can be removed, or ordered again.
  auto removed = send({"DELETE", "/cart/u1/" + ids_[1], std::nullopt, {}, {}});
  EXPECT_EQ(removed.status, 200) << removed.raw.body;
  auto again = post("/order", R"({"user_id":"u1"})");
  ASSERT_EQ(again.status, 201) << again.raw.body;
  ASSERT_EQ(again.list("order_items").size(), 1u);
  EXPECT_EQ(*stored("USER#u1", "PRODUCT#" + ids_[0])->at("order_id").as_s(), again.str("order_id"));
}

TEST_F(OrderTest, CancelLeavesAProductReAddedSinceTheOrderAlone) {
  add("u1", ids_[0], 1);
  const std::string id = post("/order", R"({"user_id":"u1"})").str("order_id");
  clock_.advance_ms(1000);
  ASSERT_EQ(add("u1", ids_[0], 3).status, 200);  // a new incarnation, not claimed
  auto before = stored("USER#u1", "PRODUCT#" + ids_[0]);
  ASSERT_EQ(post("/orders/" + id + "/cancel", std::nullopt).status, 200);
  EXPECT_EQ(faulty_->last_transaction_size(), 1u);  // the order only
  EXPECT_EQ(stored("USER#u1", "PRODUCT#" + ids_[0]), before);
  EXPECT_EQ(get("/orders/" + id).str("order_status"), "CANCELLED");
}

TEST_F(OrderTest, UserOrdersNewestFirstPaginated) {
  std::vector<std::string> placed;
  for (int i = 0; i < 3; ++i) {
    add("u1", ids_[i], 1);
    placed.push_back(post("/order", R"({"user_id":"u1"})").str("order_id"));
    clock_.advance_ms(60'000);
  }
  add("u2", ids_[0], 1);
  post("/order", R"({"user_id":"u2"})");
  auto page1 = get("/users/u1/orders", {{"limit", "2"}});
  ASSERT_EQ(page1.status, 200) << page1.raw.body;
  ASSERT_EQ(page1.list("orders").size(), 2u);
  EXPECT_EQ(*page1.list("orders")[0].as_m()->at("order_id").as_s(), placed[2]);
  EXPECT_EQ(*page1.list("orders")[1].as_m()->at("order_id").as_s(), placed[1]);
  std::string token = page1.str("next_token");
  ASSERT_FALSE(token.empty());
  auto page2 = get("/users/u1/orders", {{"limit", "2"}, {"next_token", token}});
  ASSERT_EQ(page2.status, 200);
  ASSERT_EQ(page2.list("orders").size(), 1u);
  EXPECT_EQ(*page2.list("orders")[0].as_m()->at("order_id").as_s(), placed[0]);
  EXPECT_EQ(page2.body.count("next_token"), 0u);
  // Another user's listing does not accept this token.
  auto foreign = get("/users/u2/orders", {{"next_token", token}});
  EXPECT_EQ(foreign.status, 400);
  EXPECT_EQ(foreign.str("field"), "next_token");
  EXPECT_EQ(get("/users/u2/orders").list("orders").size(), 1u);
  EXPECT_TRUE(get("/users/u3/orders").list("orders").empty());
}

TEST_F(OrderTest, TooManyLinesIs400) {
  std::string items;
  for (int i = 0; i < 46; ++i) items += std::string(i ? "," : "") + "\"p" + std::to_string(i) + "\"";
  auto r = post("/order", R"({"user_id":"u1","order_items":[)" + items + "]}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.str("code"), "TOO_MANY_ITEMS");
}

}  // namespace
}  // namespace cartflow::api_testing
