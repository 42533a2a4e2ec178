// SPDX-License-Identifier: Apache-2.0
// The message contract between process-cart-products and update-cart-status (docs/EVENTS.md),
// end to end on the embedded store: an order item written as the API writes it appears on the
// table's change stream, becomes a Lambda stream event, process-cart-products sends its
// message to the real queue, the received message becomes a Lambda SQS event, and
// update-cart-status marks the cart items ORDERED.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cartflow::functions
