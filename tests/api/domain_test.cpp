// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <set>

#include "domain/cart.h"
#include "domain/keys.h"
#include "domain/money.h"
#include "domain/order.h"
#include "domain/product.h"
#include "domain/requests.h"
#include "domain/sample_catalog.h"
#include "domain/time.h"
#include "domain/validation.h"
#include "model/dynamo_json.h"

namespace cartflow::domain {
namespace {

model::Item parse(std::string_view json) {
  auto item = model::parse_plain_item(json);
  EXPECT_TRUE(item.ok()) << json;
  return item.ok() ? *item : model::Item{};
}

TEST(DomainIds, AcceptsOnlyShortSafeIds) {
  EXPECT_TRUE(is_valid_id("user-1_A"));
  EXPECT_TRUE(is_valid_id(std::string(64, 'a')));
  EXPECT_FALSE(is_valid_id(std::string(65, 'a')));
  EXPECT_FALSE(is_valid_id(""));
  EXPECT_FALSE(is_valid_id("a b"));
  EXPECT_FALSE(is_valid_id("a#b"));
  EXPECT_FALSE(is_valid_id("../x"));
  EXPECT_FALSE(is_valid_id("é"));
}

TEST(DomainMoney, DetectsOverflow) {
  EXPECT_EQ(line_total(349, 3), 1047);
  EXPECT_FALSE(line_total(kMaxMoney, 2).has_value());
  EXPECT_FALSE(line_total(-1, 2).has_value());
  EXPECT_EQ(add_money(1, 2), 3);
  EXPECT_FALSE(add_money(kMaxMoney, 1).has_value());
}

TEST(DomainTime, FormatsIsoUtcMilliseconds) {
  EXPECT_EQ(iso8601_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601_ms(1'714'564'800'123), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(iso8601_ms(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(iso8601_ms(951'782'400'007), "2000-02-29T00:00:00.007Z");
  EXPECT_EQ(iso8601_ms(4'102'444'799'999), "2099-12-31T23:59:59.999Z");
  EXPECT_EQ(iso8601_ms(253'402'300'799'999), "9999-12-31T23:59:59.999Z");
}

TEST(DomainCart, NextAddedOnIsUniquePerIncarnation) {
  EXPECT_EQ(next_added_on("2024-05-01T12:00:00.001Z", std::nullopt), "2024-05-01T12:00:00.001Z");
  EXPECT_EQ(next_added_on("2024-05-01T12:00:00.002Z", "2024-05-01T12:00:00.001Z"),
            "2024-05-01T12:00:00.002Z");
  std::string same = next_added_on("2024-05-01T12:00:00.001Z", "2024-05-01T12:00:00.001Z");
  EXPECT_NE(same, "2024-05-01T12:00:00.001Z");
  EXPECT_NE(next_added_on("2024-05-01T12:00:00.001Z", same), same);
}

TEST(DomainCart, RoundTripsThroughItem) {
  CartItem c{"u1", "p1", 3, "PENDING", "2024-05-01T12:00:00.000Z", std::nullopt};
  model::Item item = to_item(c);
  EXPECT_EQ(*item.at("PK").as_s(), "USER#u1");
  EXPECT_EQ(*item.at("SK").as_s(), "PRODUCT#p1");
  EXPECT_EQ(cart_item_from_item(item), c);
  EXPECT_TRUE(is_open(c));
  c.order_id = "o1";
  EXPECT_FALSE(is_open(c));
  EXPECT_EQ(cart_item_from_item(to_item(c))->order_id, "o1");
}

TEST(DomainRequests, ParsesAddToCart) {
  auto ok = parse_add_to_cart(parse(R"({"product_id":"p1","quantity":5,"extra":true})"));
  ASSERT_TRUE(is_valid(ok));
  EXPECT_EQ(std::get<AddToCartRequest>(ok).quantity, 5);
  auto bad = parse_add_to_cart(parse(R"({"product_id":"p1","quantity":1001})"));
  ASSERT_FALSE(is_valid(bad));
  EXPECT_EQ(std::get<FieldError>(bad).field, "quantity");
  auto missing = parse_add_to_cart(parse(R"({"quantity":1})"));
  EXPECT_EQ(std::get<FieldError>(missing).code, "MISSING_FIELD");
  EXPECT_EQ(std::get<FieldError>(missing).field, "product_id");
}

TEST(DomainRequests, ParsesReferenceOrderItems) {
  auto r = parse_place_order(parse(
      R"({"user_id":"u1","order_total":10,"order_items":[{"userId":"u1","productId":"p1","quantity":2,"cartProductStatus":"PENDING","addedOn":"x"},"p2"]})"));
  ASSERT_TRUE(is_valid(r));
  const auto& req = std::get<PlaceOrderRequest>(r);
  ASSERT_EQ(req.items->size(), 2u);
  EXPECT_EQ((*req.items)[0].quantity, 2);
  EXPECT_EQ((*req.items)[1].product_id, "p2");
  EXPECT_FALSE((*req.items)[1].quantity.has_value());
  auto dup = parse_place_order(parse(R"({"user_id":"u1","order_items":["p1","p1"]})"));
  EXPECT_EQ(std::get<FieldError>(dup).code, "DUPLICATE_ITEM");
  EXPECT_EQ(std::get<FieldError>(dup).field, "order_items[1]");
}

class DomainOrder : public ::testing::Test {
 protected:
  std::vector<CartItem> cart{{"u1", "p1", 2, "PENDING", "t1", std::nullopt},
                             {"u1", "p2", 1, "PENDING", "t2", std::nullopt},
                             {"u1", "p3", 1, "PENDING", "t3", std::string("o-old")}};
  std::map<std::string, model::Item, std::less<>> products{
      {"p1", parse(R"({"productId":"p1","name":"One","price":250})")},
      {"p2", parse(R"({"productId":"p2","name":"Two","price":1000})")},
      {"p3", parse(R"({"productId":"p3","name":"Three","price":5})")}};
};

TEST_F(DomainOrder, PricesWholeOpenCartFromCatalog) {
  PlaceOrderRequest req{"u1", std::nullopt, std::nullopt};
  auto o = build_order(req, cart, products, "o1", "2024-05-01T12:00:00.000Z");
  ASSERT_TRUE(is_valid(o));
  const Order& order = std::get<Order>(o);
  EXPECT_EQ(order.total, 2 * 250 + 1000);  // p3 is claimed by another order
  ASSERT_EQ(order.lines.size(), 2u);
  EXPECT_EQ(order.lines[0].added_on, "t1");
  model::Item item = order_item(order);
  EXPECT_EQ(*item.at("PK").as_s(), "ORDER#o1");
  EXPECT_EQ(*item.at("GSI1PK").as_s(), "USER#u1");
  EXPECT_EQ(*item.at("GSI1SK").as_s(), "ORDER#2024-05-01T12:00:00.000Z#o1");
  EXPECT_EQ(*item.at("order_status").as_s(), "ORDERED");
  model::Item line = order_line_item(order, order.lines[0]);
  EXPECT_EQ(*line.at("SK").as_s(), "LINE#p1");
  EXPECT_EQ(*line.at("GSI2PK").as_s(), "PRODUCT#p1");
  EXPECT_EQ(line.count("order_status"), 0u);
}

TEST_F(DomainOrder, RejectsItemsOutsideTheOpenCart) {
  PlaceOrderRequest req{"u1", std::nullopt, std::vector<OrderRequestLine>{{"p3", std::nullopt}}};
  auto o = build_order(req, cart, products, "o1", "d");
  EXPECT_EQ(std::get<FieldError>(o).code, "ITEM_NOT_IN_CART");
  req.items = std::vector<OrderRequestLine>{{"p1", 3}};
  EXPECT_EQ(std::get<FieldError>(build_order(req, cart, products, "o1", "d")).code,
            "QUANTITY_MISMATCH");
  products.erase("p1");
  req.items = std::vector<OrderRequestLine>{{"p1", 2}};
  EXPECT_EQ(std::get<FieldError>(build_order(req, cart, products, "o1", "d")).code,
            "PRODUCT_NOT_FOUND");
}

TEST_F(DomainOrder, ChecksClientTotal) {
  PlaceOrderRequest req{"u1", 1499, std::nullopt};
  auto o = build_order(req, cart, products, "o1", "d");
  auto e = check_order_total(req, std::get<Order>(o));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, "ORDER_TOTAL_MISMATCH");
  req.order_total = 1500;
  EXPECT_FALSE(check_order_total(req, std::get<Order>(o)).has_value());
}

TEST_F(DomainOrder, EmptyCartIsAnEmptyOrder) {
  PlaceOrderRequest req{"u2", std::nullopt, std::nullopt};
  EXPECT_EQ(std::get<FieldError>(build_order(req, cart, products, "o1", "d")).code, "EMPTY_ORDER");
}

TEST(DomainCatalog, SampleCatalogHasTwentyValidProducts) {
  auto catalog = model::parse_plain_json(sample_catalog_json());
  ASSERT_TRUE(catalog.ok());
  ASSERT_NE(catalog->as_l(), nullptr);
  ASSERT_EQ(catalog->as_l()->size(), 20u);
  std::set<std::string> ids;
  for (const auto& p : *catalog->as_l()) {
    auto item = product_item(*p.as_m(), "products");
    ASSERT_TRUE(is_valid(item)) << std::get<FieldError>(item).message;
    const auto& stored = std::get<model::Item>(item);
    ids.insert(*stored.at("productId").as_s());
    for (const char* field : {"name", "category", "description", "price", "package", "pictures",
                              "tags", "createdDate", "modifiedDate"}) {
      EXPECT_EQ(stored.count(field), 1u) << field;
    }
    EXPECT_EQ(*stored.at("PK").as_s(), "PRODUCT");
  }
  EXPECT_EQ(ids.size(), 20u);
}

}  // namespace
}  // namespace cartflow::domain
