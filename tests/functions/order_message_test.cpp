// SPDX-License-Identifier: Apache-2.0
// The order message has one owner (domain/order_message.h): what process-cart-products writes,
// update-cart-status reads back, and the text reader agrees with the item reader.
#include "domain/order_message.h"

#include <gtest/gtest.h>

#include "functions/process_cart_products.h"
#include "model/dynamo_json.h"
#include "store_fixture.h"

namespace cartflow::functions {
namespace {

using namespace testing;  // NOLINT: test fixtures

std::string describe(const model::Result<domain::Order>& r) {
  if (!r.ok()) return "error: " + r.error().message;
  std::string out = r->order_id + "|" + r->user_id + "|" + r->status + "|" + r->order_date + "|" +
                    std::to_string(r->total);
  for (const auto& l : r->lines) {
    out += "|" + l.product_id + "," + (l.added_on.is_n() ? "N:" : "") +
           domain::added_on_text(l.added_on) + "," + std::to_string(l.quantity) + "," +
           std::to_string(l.unit_price) + "," + std::to_string(l.line_total) + "," + l.name;
  }
  return out;
}

TEST(OrderMessage, WhatTheProducerWritesTheConsumerReads) {
  model::Item image = order_item("o1", "u1", {{"p1", "t1", 2}, {"p2", "t2", 1}});
  image["order_items"].as_l()->at(0).as_m()->emplace("name", AttributeValue("Blue \"mug\""));
  auto entry = order_message("r0", image, "o1");
  EXPECT_EQ(entry.attributes.at("order_id").string_value, "o1");
  auto order = domain::read_order_message(entry.body);
  ASSERT_TRUE(order.ok()) << order.error().message;
  EXPECT_EQ(describe(order),
            "o1|u1|ORDERED|2024-05-01T10:00:00.000Z|3000|p1,t1,2,1000,2000,Blue \"mug\"|"
            "p2,t2,1,1000,1000,");
  EXPECT_EQ(describe(order), describe(domain::order_from_item(image)));
}

TEST(OrderMessage, TheTextReaderAndTheItemReaderAgree) {
  const std::vector<std::string> bodies = {
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[]}})",
      R"({"order_items":{"L":[{"M":{"quantity":{"S":"2"},"addedOn":{"S":"t"},"productId":{"S":"p"}}}]},"user_id":{"S":"u"},"order_id":{"S":"o"}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"addedOn":{"S":"t"},"quantity":{"N":"2.0"},"extra":{"M":{"x":{"SS":["a"]}}}}}]},"tags":{"NS":["1","2"]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"}})",
      R"({"order_id":{"S":""},"user_id":{"S":"u"},"order_items":{"L":[]}})",
      R"({"order_id":{"N":"1"},"user_id":{"S":"u"},"order_items":{"L":[]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"M":{}}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"S":"p"}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"quantity":{"N":"1"}}}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"addedOn":{"S":"t"},"quantity":{"N":"1.5"}}}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"addedOn":{"S":"t"},"quantity":{"BOOL":true}}}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"addedOn":{"N":"1.7145576E9"},"quantity":{"N":"1"}}}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"addedOn":{"S":""},"quantity":{"N":"1"}}}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"S":"p"},"addedOn":{"BOOL":true},"quantity":{"N":"1"}}}]}})",
  };
  for (const auto& body : bodies) {
    auto item = model::parse_item(body);
    ASSERT_TRUE(item.ok()) << body;
    EXPECT_EQ(describe(domain::read_order_message(body)), describe(domain::order_from_item(*item)))
        << body;
  }
}

// The order image as the reference workshop's Python API stores it (PK "ORDER", order_date a
// day, addedOn an N of epoch seconds, lines as the client sent them, without price), as its
// producer sends it: the bare image. addedOn stays an N, so the update compares it as one.
TEST(OrderMessage, ReadsTheReferenceApisOrderImage) {
  const std::string body =
      R"({"PK":{"S":"ORDER"},"SK":{"S":"ORDER#3c0b"},"GSI1PK":{"S":"USER#u1"},)"
      R"("GSI1SK":{"S":"ORDER#3c0b"},"user_id":{"S":"u1"},"order_id":{"S":"3c0b"},)"
      R"("order_status":{"S":"ORDERED"},"order_date":{"S":"2024-05-01Z"},"order_total":{"N":"5997"},)"
      R"("order_items":{"L":[{"M":{"productId":{"S":"p1"},"quantity":{"N":"2"},)"
      R"("cartProductStatus":{"S":"PENDING"},"addedOn":{"N":"1714557600"},"userId":{"S":"u1"}}}]}})";
  auto order = domain::read_order_message(body);
  ASSERT_TRUE(order.ok()) << order.error().message;
  EXPECT_EQ(describe(order), "3c0b|u1|ORDERED|2024-05-01Z|5997|p1,N:1714557600,2,0,0,");
  EXPECT_EQ(order->lines[0].added_on, model::AttributeValue::integer(1714557600));
  EXPECT_EQ(describe(order), describe(domain::order_from_item(*model::parse_item(body))));
}

TEST(OrderMessage, TextThatIsNotAnItemInDynamoDbJsonIsRejected) {
  for (const char* body :
       {"", "null", "[]", "{", R"({"order_id":"o"})", R"({"order_id":{"Q":"o"}})",
        R"({"order_id":{"S":"o","N":"1"}})", R"({"order_id":{}})",
        R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[]}} trailing)",
        R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[{"M":{"productId":{"N":"x"}}}]}})",
        R"({"x":{"B":"not base64!"},"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[]}})"}) {
    auto order = domain::read_order_message(body);
    EXPECT_FALSE(order.ok()) << body;
    if (!order.ok()) {
      EXPECT_EQ(order.error().code, model::ErrorCode::kInvalidArgument) << body;
    }
    EXPECT_FALSE(model::parse_item(body).ok()) << body;  // the item reader agrees
  }
}

}  // namespace
}  // namespace cartflow::functions
