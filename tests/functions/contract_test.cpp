// SPDX-License-Identifier: Apache-2.0
// The message contract between process-cart-products and update-cart-status (docs/EVENTS.md),
// end to end on the embedded store: an order item written as the API writes it appears on the
// table's change stream, becomes a Lambda stream event, process-cart-products sends its
// message to the real queue, the received message becomes a Lambda SQS event, and
// update-cart-status marks the cart items ORDERED.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "functions/api.h"
#include "functions/process_cart_products.h"
#include "functions/update_cart_status.h"
#include "store_fixture.h"

namespace cartflow::functions {
namespace {

using namespace testing;  // NOLINT: test fixtures
using ::testing::IsEmpty;

class ContractTest : public ::testing::Test {
 protected:
  // Reads the table's change stream from `position` as the stream event source mapping does
  // (with its filter on order_status = ORDERED left to the function, which checks it anyway).
  std::string next_stream_event() {
    auto batch = store.stream->read(position_, 100, std::chrono::milliseconds(0));
    EXPECT_TRUE(batch.ok());
    if (!batch.ok()) return {};
    position_ = batch->next;
    events::DynamoDbStreamEvent event;
    for (const auto& r : batch->records) {
      event.records.push_back(events::to_lambda_record(
          r, "us-east-1", "arn:aws:dynamodb:us-east-1:000000000000:table/EcommerceAppTable/stream/x"));
    }
    return events::to_json(event);
  }
  // Receives up to 5 messages as the SQS event source mapping does.
  std::pair<std::string, std::vector<ports::Message>> next_sqs_event() {
    auto got = store.queue->receive({5, 20, std::chrono::milliseconds(0)});
    EXPECT_TRUE(got.ok());
    events::SqsEvent event;
    if (!got.ok()) return {};
    for (const auto& m : *got) {
      event.records.push_back(events::to_lambda_record(
          m, "AIDAIENQZJOLO23YVJ4VO", "arn:aws:sqs:us-east-1:000000000000:UpdateCartProductsSQS",
          "us-east-1"));
    }
    return {events::to_json(event), *got};
  }

  Store store;
  Observability obs;
  ProcessCartProducts producer{*store.queue, obs.logger, obs.metrics};
  UpdateCartStatus consumer{*store.table, obs.logger, obs.metrics};
  ports::StreamPosition position_;
};

TEST_F(ContractTest, AnOrderWrittenToTheTableMarksItsCartItemsOrdered) {
  ASSERT_TRUE(store.table->put({cart_item("u1", "p1", "2024-05-01T09:00:00.000Z", 2)}).ok());
  ASSERT_TRUE(store.table->put({cart_item("u1", "p2", "2024-05-01T09:05:00.000Z", 1)}).ok());
  ASSERT_TRUE(store.table->put({cart_item("u1", "p3", "2024-05-01T09:06:00.000Z", 1)}).ok());
  next_stream_event();  // the cart writes: not part of this test
  ASSERT_TRUE(store.table
                  ->put({order_item("o-100", "u1",
                                    {{"p1", "2024-05-01T09:00:00.000Z", 2},
                                     {"p2", "2024-05-01T09:05:00.000Z", 1}})})
                  .ok());

  const std::string stream_event = next_stream_event();
  auto produced = producer.invoke(stream_event, context("req-producer"));
  ASSERT_TRUE(produced.ok()) << produced.error().message;
  EXPECT_THAT(failures_of(*produced), IsEmpty());

  auto [sqs_event_json, messages] = next_sqs_event();
  ASSERT_EQ(messages.size(), 1u);
  auto consumed = consumer.invoke(sqs_event_json, context("req-consumer"));
  ASSERT_TRUE(consumed.ok()) << consumed.error().message;
  EXPECT_THAT(failures_of(*consumed), IsEmpty());
  for (const auto& m : messages) ASSERT_TRUE(store.queue->remove(m.receipt_handle).ok());

  for (const char* p : {"p1", "p2"}) {
    auto item = read_cart_item(*store.table, "u1", p);
    EXPECT_EQ(s_attr(item, "cartProductStatus"), "ORDERED") << p;
    EXPECT_EQ(s_attr(item, "order_id"), "o-100") << p;
  }
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p3"), "cartProductStatus"), "PENDING");

  // The cart item updates are MODIFY records on the stream: the producer ignores them.
  auto again = producer.invoke(next_stream_event(), context("req-producer-2"));
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(failures_of(*again), IsEmpty());
  auto counts = store.queue->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->visible + counts->in_flight, 0);
  EXPECT_EQ(obs.metrics.value(kRecordsIgnored), 2);
}

// The same path, with the order placed through the API handler (POST /loadProducts, POST
// /cart/{user_id}, POST /order), so the test breaks if the API's order item and the pipeline's
// expectations drift apart.
TEST_F(ContractTest, AnOrderPlacedThroughTheApiMarksItsCartItemsOrdered) {
  ApiHandler api(*store.table, store.clock);
  auto call = [&](const std::string& method, const std::string& path,
                  std::optional<std::string> body) {
    events::ApiGatewayRequest request;
    request.http_method = method;
    request.path = path;
    request.resource = path;
    request.headers["Content-Type"] = "application/json";
    request.request_context.request_id = "api-req";
    request.request_context.stage = "Dev";
    request.request_context.http_method = method;
    request.request_context.path = "/Dev" + path;
    request.body = std::move(body);
    return api.handle(request, context("api-req"));
  };
  ASSERT_EQ(call("POST", "/loadProducts", std::nullopt).status_code, 200);
  auto products = call("GET", "/products", std::nullopt);
  ASSERT_EQ(products.status_code, 200) << products.body;
  auto listed = model::parse_plain_item(products.body);
  ASSERT_TRUE(listed.ok());
  const auto& catalog = *listed->at("products").as_l();
  ASSERT_GE(catalog.size(), 3u);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < 3; ++i) ids.push_back(*catalog[i].as_m()->at("productId").as_s());
  for (std::size_t i = 0; i < 3; ++i) {
    store.clock.advance_ms(1000);
    auto added = call("POST", "/cart/u1",
                      R"({"product_id":")" + ids[i] + R"(","quantity":)" + std::to_string(i + 1) +
                          "}");
    ASSERT_EQ(added.status_code, 200) << added.body;
  }
  next_stream_event();  // products and cart writes
  store.clock.advance_ms(1000);
  auto placed = call("POST", "/order",
                     R"({"user_id":"u1","order_items":[")" + ids[0] + R"(",")" + ids[1] + R"("]})");
  ASSERT_EQ(placed.status_code, 201) << placed.body;
  auto order = model::parse_plain_item(placed.body);
  ASSERT_TRUE(order.ok());
  const std::string order_id = *order->at("order_id").as_s();

  auto produced = producer.invoke(next_stream_event(), context("req-producer"));
  ASSERT_TRUE(produced.ok()) << produced.error().message;
  EXPECT_THAT(failures_of(*produced), IsEmpty());
  EXPECT_EQ(obs.metrics.value(kOrdersSent), 1);  // the order, not its line items or claims
  auto [sqs_event_json, messages] = next_sqs_event();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].attributes.at("order_id").string_value, order_id);
  auto consumed = consumer.invoke(sqs_event_json, context("req-consumer"));
  ASSERT_TRUE(consumed.ok()) << consumed.error().message;
  EXPECT_THAT(failures_of(*consumed), IsEmpty());

  for (std::size_t i = 0; i < 2; ++i) {
    auto item = read_cart_item(*store.table, "u1", ids[i]);
    EXPECT_EQ(s_attr(item, "cartProductStatus"), "ORDERED") << ids[i];
    EXPECT_EQ(s_attr(item, "order_id"), order_id) << ids[i];
  }
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", ids[2]), "cartProductStatus"), "PENDING");
  EXPECT_EQ(obs.metrics.value(kCartItemsOrdered), 2);
  auto cart = call("GET", "/cart/u1", std::nullopt);
  ASSERT_EQ(cart.status_code, 200);
  auto cart_body = model::parse_plain_item(cart.body);
  ASSERT_TRUE(cart_body.ok());
  EXPECT_EQ(cart_body->at("cart_items").as_l()->size(), 1u);  // only the product not ordered
}

}  // namespace
}  // namespace cartflow::functions
