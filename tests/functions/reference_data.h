// SPDX-License-Identifier: Apache-2.0
#pragma once

// Data the reference wrote (docs/EVENTS.md, "Data the reference wrote"): items in the exact
// shapes the reference workshop's Python API puts (../shared/reference/REFERENCE.md, its
// order handler), and one scenario that runs them through the api and update-cart-status
// handlers on any Table and Queue: the embedded store (tests/functions/reference_data_test.cpp)
// and DynamoDB Local plus an SQS server through the AWS adapters
// (tests/aws_e2e/reference_data_aws_test.cpp).
//
// The reference's shapes:
// - cart item (POST /cart/{user_id}): PK "USER#<user>", SK "PRODUCT#<product>", userId,
//   productId, quantity (N), cartProductStatus "PENDING", addedOn = aws_timestamp(), an N of
//   epoch seconds; never an order_id.
// - order (POST /order): PK "ORDER" (one partition for all), SK "ORDER#<uuid>", GSI1PK
//   "USER#<user>", GSI1SK "ORDER#<uuid>", user_id, order_id, order_status "ORDERED",
//   order_date = aws_date(), a day ("2024-05-01Z"), order_total and order_items exactly as the
//   client sent them: here the cart items of the reference's GET /cart (productId, quantity,
//   cartProductStatus, addedOn, userId), numbers as N.
// - queue message (process-cart-products): serde_json of the record's NewImage, the order item
//   in DynamoDB JSON, nothing around it, sent with one SendMessage per record.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "functions/api.h"
#include "functions/update_cart_status.h"
#include "store_fixture.h"

namespace cartflow::functions::testing {

struct ReferenceLine {
  std::string product;
  std::int64_t added_on;  // epoch seconds
  std::int64_t quantity = 1;
};

inline Item reference_cart_item(const std::string& user, const ReferenceLine& line) {
  return {{"PK", AttributeValue(domain::user_pk(user))},
          {"SK", AttributeValue(domain::cart_item_sk(line.product))},
          {"userId", AttributeValue(user)},
          {"productId", AttributeValue(line.product)},
          {"quantity", AttributeValue::integer(line.quantity)},
          {"cartProductStatus", AttributeValue("PENDING")},
          {"addedOn", AttributeValue::integer(line.added_on)}};
}

inline Item reference_order(const std::string& order_id, const std::string& user,
                            const std::vector<ReferenceLine>& lines,
                            const std::string& day = "2024-05-01Z") {
  model::List items;
  for (const auto& line : lines) {
    Item sent = reference_cart_item(user, line);  // what the reference's GET /cart projects
    sent.erase("PK");
    sent.erase("SK");
    items.push_back(AttributeValue(std::move(sent)));
  }
  return {{"PK", AttributeValue("ORDER")},
          {"SK", AttributeValue("ORDER#" + order_id)},
          {"GSI1PK", AttributeValue(domain::user_pk(user))},
          {"GSI1SK", AttributeValue("ORDER#" + order_id)},
          {"user_id", AttributeValue(user)},
          {"order_id", AttributeValue(order_id)},
          {"order_status", AttributeValue("ORDERED")},
          {"order_date", AttributeValue(day)},
          {"order_total", AttributeValue::integer(5997)},
          {"order_items", AttributeValue(std::move(items))}};
}

// The api and update-cart-status handlers over `table`, which must have the app's keys and
// indexes (functions::table_description) and start empty; messages travel through `queue`
// (empty), `wait` being its receive long-poll.
class ReferenceDataScenario {
 public:
  ReferenceDataScenario(ports::Table& table, ports::Queue& queue, std::chrono::milliseconds wait)
      : table_(table), queue_(queue), wait_(wait) {}

  void put(const Item& item) {
    auto written = table_.put(ports::PutRequest{item, std::nullopt});
    ASSERT_TRUE(written.ok()) << written.error().message;
  }

  // Calls the api handler with a REST proxy event; returns (status, body as an item).
  std::pair<int, Item> call(const std::string& method, const std::string& path,
                            std::optional<std::string> body = std::nullopt) {
    events::ApiGatewayRequest r;
    r.http_method = method;
    r.path = path;
    r.resource = path;
    r.body = std::move(body);
    if (r.body) r.headers["Content-Type"] = "application/json";
    r.request_context.request_id = "req-" + std::to_string(++requests_);
    r.request_context.stage = "Dev";
    auto out = api_.invoke(events::to_json(r), context());
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    if (!out.ok()) return {0, {}};
    auto response = events::parse_api_gateway_response(*out);
    EXPECT_TRUE(response.ok()) << *out;
    if (!response.ok()) return {0, {}};
    auto parsed = model::parse_plain_json(response->body);
    Item item;
    if (parsed.ok() && parsed->as_m() != nullptr) item = *parsed->as_m();
    return {response->status_code, std::move(item)};
  }

  // The productIds of GET /cart/{user}, with each item's addedOn as JSON text.
  std::vector<std::string> cart(const std::string& user) {
    auto [status, body] = call("GET", "/cart/" + user);
    EXPECT_EQ(status, 200);
    std::vector<std::string> shown;
    auto items = body.find("cart_items");
    if (items == body.end() || items->second.as_l() == nullptr) return shown;
    for (const auto& entry : *items->second.as_l()) {
      const Item& m = *entry.as_m();
      shown.push_back(*m.at("productId").as_s() + "@" + model::to_plain_json(m.at("addedOn")));
    }
    return shown;
  }

  // Sends `body` as the reference producer does (one SendMessage, the body alone), receives
  // it and hands it to update-cart-status as Lambda would; deletes it. Returns whether the
  // batch response reported it failed.
  bool deliver_fails(const std::string& body) {
    auto sent = queue_.send(ports::SendEntry{"r0", body, {}, std::nullopt});
    EXPECT_TRUE(sent.ok()) << sent.error().message;
    std::vector<ports::Message> received;
    for (int i = 0; i < 20 && received.empty(); ++i) {
      auto got = queue_.receive(ports::ReceiveRequest{1, 30, wait_});
      EXPECT_TRUE(got.ok()) << got.error().message;
      if (!got.ok()) return true;
      received = std::move(*got);
    }
    EXPECT_EQ(received.size(), 1u);
    if (received.size() != 1) return true;
    EXPECT_EQ(received[0].body, body);
    events::SqsEvent event;
    event.records.push_back(events::to_lambda_record(
        received[0], "AIDAIENQZJOLO23YVJ4VO", "arn:aws:sqs:us-east-1:000000000000:" + queue_.name(),
        "us-east-1"));
    auto response = update_.invoke(events::to_json(event), context());
    EXPECT_TRUE(queue_.remove(received[0].receipt_handle).ok());
    EXPECT_TRUE(response.ok()) << response.error().message;
    return !response.ok() || !failures_of(*response).empty();
  }

  std::optional<Item> cart_item(const std::string& user, const std::string& product) {
    return read_cart_item(table_, user, product);
  }

  Observability obs;

 private:
  ports::Table& table_;
  ports::Queue& queue_;
  const std::chrono::milliseconds wait_;
  ports::ManualClock clock_{1'714'564'800'000};  // 2024-05-01T12:00:00.000Z
  ApiHandler api_{table_, clock_, {}, &obs.logger};
  UpdateCartStatus update_{table_, obs.logger, obs.metrics};
  int requests_ = 0;
};

// The whole scenario; each step's expectations are checked where they happen.
inline void run_reference_data_scenario(ports::Table& table, ports::Queue& queue,
                                        std::chrono::milliseconds wait) {
  ReferenceDataScenario s(table, queue, wait);
  ASSERT_EQ(s.call("POST", "/loadProducts").first, 200);
  std::vector<std::string> ids;
  Item products = s.call("GET", "/products").second;
  ASSERT_NE(products["products"].as_l(), nullptr);
  for (const auto& p : *products["products"].as_l()) {
    ids.push_back(*p.as_m()->at("productId").as_s());
  }
  ASSERT_GE(ids.size(), 5u);
  const std::string user = "user-42";
  const ReferenceLine p1{ids[0], 1714557600, 2}, p2{ids[1], 1714557660}, p3{ids[2], 1714557720};
  for (const auto& line : {p1, p2, p3}) s.put(reference_cart_item(user, line));

  // GET /cart shows the reference's items, addedOn as the number it is.
  EXPECT_EQ(s.cart(user),
            (std::vector<std::string>{p1.product + "@1714557600", p2.product + "@1714557660",
                                      p3.product + "@1714557720"}));

  // The reference's order of p1 and p2, and the reference producer's bare image of it.
  const std::string order_id = "6f1c2a9e-8d4b-4f3a-9c2e-1b7d5e0a4c11";
  const Item order = reference_order(order_id, user, {p1, p2});
  s.put(order);
  const std::string body = model::to_dynamo_json(order);
  EXPECT_FALSE(s.deliver_fails(body));
  for (const auto& line : {p1, p2}) {
    auto item = s.cart_item(user, line.product);
    EXPECT_EQ(s_attr(item, "cartProductStatus"), "ORDERED") << line.product;
    EXPECT_EQ(s_attr(item, "order_id"), order_id) << line.product;
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(item->at("addedOn"), AttributeValue::integer(line.added_on)) << "keeps its type";
  }
  EXPECT_EQ(s_attr(s.cart_item(user, p3.product), "cartProductStatus"), "PENDING");
  EXPECT_EQ(s.obs.metrics.value(kCartItemsOrdered), 2);
  EXPECT_EQ(s.cart(user), (std::vector<std::string>{p3.product + "@1714557720"}));

  // A redelivery is a no-op; after the reference re-added p1 (a new addedOn), the old order's
  // message leaves the new item alone (reference defect 6).
  EXPECT_FALSE(s.deliver_fails(body));
  EXPECT_EQ(s.obs.metrics.value(kCartItemsAlreadyOrdered), 2);
  s.put(reference_cart_item(user, {p1.product, 1714558000, 5}));
  EXPECT_FALSE(s.deliver_fails(body));
  EXPECT_EQ(s_attr(s.cart_item(user, p1.product), "cartProductStatus"), "PENDING");
  EXPECT_EQ(s.obs.metrics.value(kCartItemsSkipped), 1);

  // addedOn compares with its type: an S "1714557720" is not the N 1714557720.
  Item as_text = reference_order("o-text", user, {p3});
  (*as_text.at("order_items").as_l())[0].as_m()->at("addedOn") = AttributeValue("1714557720");
  EXPECT_FALSE(s.deliver_fails(model::to_dynamo_json(as_text)));
  EXPECT_EQ(s_attr(s.cart_item(user, p3.product), "cartProductStatus"), "PENDING");

  // A line without addedOn is malformed: which incarnation was ordered is unknown.
  Item without = reference_order("o-none", user, {p3});
  (*without.at("order_items").as_l())[0].as_m()->erase("addedOn");
  EXPECT_TRUE(s.deliver_fails(model::to_dynamo_json(without)));
  EXPECT_EQ(s_attr(s.cart_item(user, p3.product), "cartProductStatus"), "PENDING");

  // cartflow's POST /order claims a reference cart item (N addedOn), the pipeline marks it,
  // and a cancel of a second such order releases its item as a fresh incarnation (an S).
  const std::string other = "user-7";
  const ReferenceLine q1{ids[3], 1714557800, 3}, q2{ids[4], 1714557900};
  s.put(reference_cart_item(other, q1));
  auto [placed, placed_body] =
      s.call("POST", "/order", R"({"user_id":"user-7","order_items":[")" + q1.product + R"("]})");
  ASSERT_EQ(placed, 201);
  const std::string ours = *placed_body.at("order_id").as_s();
  EXPECT_EQ(s_attr(s.cart_item(other, q1.product), "order_id"), ours);
  const AttributeValue ours_pk(domain::order_pk(ours));
  auto stored =
      table.get(ports::GetRequest{{{"PK", ours_pk}, {"SK", ours_pk}}, true, std::nullopt});
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->at("order_items").as_l()->at(0).as_m()->at("addedOn"),
            AttributeValue::integer(q1.added_on));
  EXPECT_FALSE(s.deliver_fails(model::to_dynamo_json(**stored)));
  EXPECT_EQ(s_attr(s.cart_item(other, q1.product), "cartProductStatus"), "ORDERED");

  s.put(reference_cart_item(other, q2));
  auto [second, second_body] = s.call("POST", "/order", R"({"user_id":"user-7"})");
  ASSERT_EQ(second, 201);
  const std::string cancelled = *second_body.at("order_id").as_s();
  EXPECT_EQ(s.call("POST", "/orders/" + cancelled + "/cancel").first, 200);
  auto released = s.cart_item(other, q2.product);
  EXPECT_EQ(s_attr(released, "cartProductStatus"), "PENDING");
  EXPECT_EQ(s_attr(released, "order_id"), "<none>");
  EXPECT_EQ(s_attr(released, "addedOn"), "2024-05-01T12:00:00.000Z");

  // POST /cart over a reference cart item replaces it with a fresh incarnation (an S).
  EXPECT_EQ(
      s.call("POST", "/cart/" + user, R"({"product_id":")" + p3.product + R"(","quantity":4})")
          .first,
      200);
  auto replaced = s.cart_item(user, p3.product);
  EXPECT_EQ(s_attr(replaced, "addedOn"), "2024-05-01T12:00:00.000Z");
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->at("quantity"), AttributeValue::integer(4));

  // The reference's order: listed among the user's orders and readable by id.
  auto [listed, list_body] = s.call("GET", "/users/" + user + "/orders");
  EXPECT_EQ(listed, 200);
  ASSERT_EQ(list_body["orders"].as_l()->size(), 1u);
  EXPECT_EQ(*list_body["orders"].as_l()->at(0).as_m()->at("order_date").as_s(), "2024-05-01Z");
  auto [got, got_body] = s.call("GET", "/orders/" + order_id);
  EXPECT_EQ(got, 200);
  EXPECT_EQ(got_body["order_id"], AttributeValue(order_id));
  EXPECT_EQ(s.call("POST", "/orders/" + order_id + "/cancel").first, 409);
}

}  // namespace cartflow::functions::testing
