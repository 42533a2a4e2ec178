// SPDX-License-Identifier: Apache-2.0
// The order message has one owner (domain/order_message.h): what process-cart-products writes,
// update-cart-status reads back, and the text reader agrees with the item reader.
#include "domain/order_message.h"

#include <gtest/gtest.h>

#include "events/dynamodb_stream.h"
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

// A refusal names the order line, and the member, it is about; both readers say the same.
TEST(OrderMessage, RefusalsNameTheLineAndItsMember) {
  const std::string good =
      R"({"M":{"productId":{"S":"p"},"addedOn":{"S":"t"},"quantity":{"N":"1"}}})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {good + "," + good + R"(,{"S":"p"})", "order_items[2] is not a map"},
      {R"({"M":{"productId":{"S":"p"},"quantity":{"N":"1"}}})", "order_items[0].addedOn missing"},
      {good + R"(,{"M":{"productId":{"S":"p"},"addedOn":{"S":"t"},"quantity":{"N":"1.5"}}})",
       "order_items[1].quantity is not a whole number: 1.5"},
      {R"({"M":{"productId":{"S":""},"addedOn":{"S":"t"},"quantity":{"N":"1"}}})",
       "order_items[0].productId is not a non-empty S"},
  };
  for (const auto& [lines, message] : cases) {
    const std::string body =
        R"({"order_id":{"S":"o"},"user_id":{"S":"u"},"order_items":{"L":[)" + lines + "]}}";
    auto item = model::parse_item(body);
    ASSERT_TRUE(item.ok()) << body;
    EXPECT_EQ(describe(domain::read_order_message(body)), "error: " + message) << body;
    EXPECT_EQ(describe(domain::order_from_item(*item)), "error: " + message) << body;
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

// process-cart-products forwards each NewImage's own text. Whatever its spelling (Lambda's
// pretty or compact JSON, any attribute order, escapes, number forms, nested M and L), the
// consumer reads from it the order it read from the body written from the decoded item.
TEST(OrderMessage, TheForwardedImageReadsAsTheRewrittenImageDid) {
  const std::string spelled =
      R"({ "order_items" : {"L":[ {"M":{"quantity":{"N":"2.0"},"name":{"S":"caf\u00e9 \"mug\""},)"
      R"("productId":{"S":"p\/1"},"addedOn":{"S":"t1"},"price":{"N":"1.5E3"},"extra":{"M":{"l":)"
      R"({"L":[{"N":"1"},{"M":{"x":{"NULL":true}}}]}}}}} ]},)"
      "\n \"order_status\":{\"S\":\"ORDERED\"}, \"user_id\":{\"S\":\"u1\"},"
      R"("order_id":{"S":"o1"} ,"order_total":{"N":"3000.00"}, "t":{"SS":["b","a"]} })";
  auto record = [](const std::string& image) {
    return R"({"Records":[{"eventName":"INSERT","dynamodb":{"SequenceNumber":"1","NewImage":)" +
           image + "}}]}";
  };
  const std::vector<std::string> events = {
      read_test_event("order_stream_event.json"),  // the AWS shape, pretty-printed
      record(read_test_event("reference_producer_message_body.json")),
      record(spelled),
      events::to_json(events::DynamoDbStreamEvent{
          {stream_record(0, "INSERT", order_item("o2", "u2", {{"p1", "t1", 2}}))}}),  // serve's
  };
  for (const auto& event : events) {
    Store store;
    Observability obs;
    ProcessCartProducts handler(*store.queue, obs.logger, obs.metrics);
    auto response = handler.invoke(event, context());
    ASSERT_TRUE(response.ok()) << response.error().message;
    auto messages = store.queue->receive({10, 300, std::chrono::milliseconds(0)});
    ASSERT_TRUE(messages.ok());
    ASSERT_EQ(messages->size(), 1u) << event;
    const std::string& body = messages->at(0).body;

    auto as_text = events::parse_dynamodb_stream_event(event, events::ImageForm::kText);
    auto as_items = events::parse_dynamodb_stream_event(event);
    ASSERT_TRUE(as_text.ok() && as_items.ok());
    EXPECT_EQ(body, *as_text->records.at(0).dynamodb.new_image_text);
    const std::string rewritten = model::to_dynamo_json(*as_items->records.at(0).dynamodb.new_image);
    EXPECT_EQ(*model::parse_item(body), *model::parse_item(rewritten)) << body;
    auto order = domain::read_order_message(body);
    ASSERT_TRUE(order.ok()) << order.error().message;
    EXPECT_EQ(describe(order), describe(domain::read_order_message(rewritten))) << body;
  }
}

// The text check of process-cart-products answers as the item check did.
TEST(OrderMessage, TheTextAnnounceCheckAgreesWithTheItemCheck) {
  for (const char* image :
       {R"({"order_status":{"S":"ORDERED"},"order_id":{"S":"o"}})",
        R"({"order_id":{"S":"o"},"order_items":{"L":[{"M":{"order_status":{"S":"ORDERED"}}}]},"order_status":{"S":"ORDERED"}})",
        R"({"order_status":{"S":"CANCELLED"},"order_id":{"S":"o"}})",
        R"({"order_status":{"N":"1"},"order_id":{"S":"o"}})", R"({"order_id":{"S":"o"}})",
        R"({"order_status":{"S":"ORDERED"}})", R"({"order_status":{"S":"ORDERED"},"order_id":{"S":""}})",
        R"({"order_status":{"S":"ORDERED"},"order_id":{"N":"1"}})",
        R"({"order_status":{"S":"ORDERED"},"order_id":{"L":[{"S":"o"}]}})", R"({})"}) {
    auto item = model::parse_item(image);
    ASSERT_TRUE(item.ok()) << image;
    std::string_view from_item;
    std::string from_text = "untouched";
    const auto item_reason = domain::announce_check(*item, from_item);
    const auto text_reason = domain::announce_check(std::string_view(image), from_text);
    EXPECT_EQ(text_reason, item_reason) << image;
    EXPECT_EQ(from_text, item_reason.empty() ? std::string(from_item) : "untouched") << image;
  }
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
