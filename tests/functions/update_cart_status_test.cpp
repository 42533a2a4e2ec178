// SPDX-License-Identifier: Apache-2.0
#include "functions/update_cart_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "functions/order_cancel.h"
#include "store_fixture.h"

namespace cartflow::functions {
namespace {

using namespace testing;  // NOLINT: test fixtures
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class UpdateCartStatusTest : public ::testing::Test {
 protected:
  void add_to_cart(const std::string& user, const std::string& product,
                   const std::string& added_on) {
    ASSERT_TRUE(store.table->put({cart_item(user, product, added_on)}).ok());
  }
  std::string invoke(const std::string& event) {
    auto response = handler.invoke(event, context());
    EXPECT_TRUE(response.ok()) << response.error().message;
    return response.ok() ? *response : std::string();
  }
  std::string order_body(const std::string& order_id, const std::string& user,
                         const std::vector<Line>& lines) {
    return model::to_dynamo_json(order_item(order_id, user, lines));
  }

  Store store;
  FaultyTable table{*store.table};
  Observability obs;
  UpdateCartStatus handler{table, obs.logger, obs.metrics};
};

TEST_F(UpdateCartStatusTest, MarksEveryOrderedCartItemWithTheOrderId) {
  add_to_cart("u1", "p1", "2024-05-01T09:00:00.000Z");
  add_to_cart("u1", "p2", "2024-05-01T09:01:00.000Z");
  add_to_cart("u1", "p3", "2024-05-01T09:02:00.000Z");  // not in the order
  const auto body = order_body("o1", "u1", {{"p1", "2024-05-01T09:00:00.000Z", 2},
                                            {"p2", "2024-05-01T09:01:00.000Z", 1}});
  EXPECT_THAT(failures_of(invoke(sqs_event({body}))), IsEmpty());
  for (const char* p : {"p1", "p2"}) {
    auto item = read_cart_item(*store.table, "u1", p);
    EXPECT_EQ(s_attr(item, "cartProductStatus"), "ORDERED") << p;
    EXPECT_EQ(s_attr(item, "order_id"), "o1") << p;
    EXPECT_EQ(s_attr(item, "addedOn").substr(0, 10), "2024-05-01") << p;
  }
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p3"), "cartProductStatus"), "PENDING");
  EXPECT_EQ(obs.metrics.value(kCartItemsOrdered), 2);
  EXPECT_EQ(obs.metrics.value(kMessagesFailed), 0);
}

TEST_F(UpdateCartStatusTest, ReportsOnlyTheMalformedAndThrottledMessagesOfAMixedBatch) {
  add_to_cart("good", "p1", "t1");
  add_to_cart("hot", "p1", "t1");
  add_to_cart("hot", "p2", "t2");
  add_to_cart("later", "p9", "t9");
  table.fail_key(TableOp::kUpdate, "USER#hot", "PRODUCT#p2", model::ErrorCode::kThrottled);
  const std::string response = invoke(sqs_event({
      order_body("o-good", "good", {{"p1", "t1"}}),     // m0
      "{\"order_id\": not json",                         // m1
      order_body("o-hot", "hot", {{"p1", "t1"}, {"p2", "t2"}}),  // m2: one line throttled
      order_body("o-later", "later", {{"p9", "t9"}}),    // m3
  }));
  EXPECT_THAT(failures_of(response), ElementsAre("m1", "m2"));
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "good", "p1"), "cartProductStatus"), "ORDERED");
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "later", "p9"), "cartProductStatus"), "ORDERED");
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "hot", "p2"), "cartProductStatus"), "PENDING");
  EXPECT_EQ(obs.metrics.value(kMessagesMalformed), 1);
  EXPECT_EQ(obs.metrics.value(kMessagesFailed), 2);
  EXPECT_EQ(obs.metrics.value(kTableErrors), 1);

  // The redelivered throttled message succeeds once the table recovers; its first line, already
  // done, counts as a redelivery.
  FaultyTable healthy{*store.table};
  UpdateCartStatus retry{healthy, obs.logger, obs.metrics};
  auto again = retry.invoke(sqs_event({order_body("o-hot", "hot", {{"p1", "t1"}, {"p2", "t2"}})}),
                            context("req-2"));
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(failures_of(*again), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "hot", "p2"), "order_id"), "o-hot");
  EXPECT_EQ(obs.metrics.value(kCartItemsAlreadyOrdered), 1);
}

TEST_F(UpdateCartStatusTest, UnavailableTableFailsTheMessageAndSoDoesAFailedReadBack) {
  add_to_cart("u1", "p1", "t1");
  add_to_cart("u2", "p1", "t1");
  table.fail_key(TableOp::kUpdate, "USER#u1", "PRODUCT#p1", model::ErrorCode::kUnavailable);
  // u2's item changed, so its condition fails, and the read that would tell why fails too.
  ASSERT_TRUE(store.table->put({cart_item("u2", "p1", "t-new")}).ok());
  table.fail_key(TableOp::kGet, "USER#u2", "PRODUCT#p1", model::ErrorCode::kThrottled);
  const std::string response = invoke(sqs_event(
      {order_body("o1", "u1", {{"p1", "t1"}}), order_body("o2", "u2", {{"p1", "t1"}})}));
  EXPECT_THAT(failures_of(response), ElementsAre("m0", "m1"));
}

TEST_F(UpdateCartStatusTest, TheSameMessageTwiceHasNoSecondEffect) {
  add_to_cart("u1", "p1", "t1");
  add_to_cart("u1", "p2", "t2");
  const auto event = sqs_event({order_body("o1", "u1", {{"p1", "t1"}, {"p2", "t2"}})});
  EXPECT_THAT(failures_of(invoke(event)), IsEmpty());
  auto position = store.stream->latest();
  ASSERT_TRUE(position.ok());
  EXPECT_THAT(failures_of(invoke(event)), IsEmpty());
  // No write happened the second time: the table's stream has no new record.
  auto after = store.stream->read(*position, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(after.ok());
  EXPECT_THAT(after->records, IsEmpty());
  EXPECT_EQ(obs.metrics.value(kCartItemsOrdered), 2);
  EXPECT_EQ(obs.metrics.value(kCartItemsAlreadyOrdered), 2);
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "order_id"), "o1");
}

TEST_F(UpdateCartStatusTest, AProductReAddedAfterTheOrderStaysPending) {
  add_to_cart("u1", "p1", "2024-05-01T09:00:00.000Z");
  const auto body = order_body("o1", "u1", {{"p1", "2024-05-01T09:00:00.000Z"}});
  // Before the asynchronous update runs, the user adds p1 again: a new incarnation.
  add_to_cart("u1", "p1", "2024-05-01T10:30:00.000Z");
  EXPECT_THAT(failures_of(invoke(sqs_event({body}))), IsEmpty());
  auto item = read_cart_item(*store.table, "u1", "p1");
  EXPECT_EQ(s_attr(item, "cartProductStatus"), "PENDING");
  EXPECT_EQ(s_attr(item, "addedOn"), "2024-05-01T10:30:00.000Z");
  EXPECT_EQ(s_attr(item, "order_id"), "<none>");
  EXPECT_EQ(obs.metrics.value(kCartItemsSkipped), 1);
  bool logged = false;
  for (const auto& line : obs.lines) {
    logged |= line.find("\"level\":\"WARNING\"") != std::string::npos &&
              line.find("cart item changed") != std::string::npos;
  }
  EXPECT_TRUE(logged);
}

TEST_F(UpdateCartStatusTest, AnItemOrderedByAnotherOrderOrGoneIsSkippedNotFailed) {
  add_to_cart("u1", "p1", "t1");
  ASSERT_TRUE(store.table
                  ->update({{{"PK", model::AttributeValue("USER#u1")},
                             {"SK", model::AttributeValue("PRODUCT#p1")}},
                            model::Update()
                                .set(model::path("cartProductStatus"), model::AttributeValue("ORDERED"))
                                .set(model::path("order_id"), model::AttributeValue("other")),
                            std::nullopt,
                            ports::ReturnValues::kNone})
                  .ok());
  const std::string response = invoke(sqs_event({order_body("o1", "u1", {{"p1", "t1"}}),
                                                 order_body("o2", "u1", {{"gone", "t1"}})}));
  EXPECT_THAT(failures_of(response), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "order_id"), "other");
  EXPECT_FALSE(read_cart_item(*store.table, "u1", "gone").has_value());  // never created
  EXPECT_EQ(obs.metrics.value(kCartItemsSkipped), 2);
}

TEST_F(UpdateCartStatusTest, ReadsTheReferenceProducersBareImage) {
  add_to_cart("user-42", "p-1", "2023-03-01T09:58:00.000Z");
  add_to_cart("user-42", "p-2", "2023-03-01T09:59:00.000Z");
  const auto body = read_test_event("reference_producer_message_body.json");
  EXPECT_THAT(failures_of(invoke(sqs_event({body}))), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "user-42", "p-1"), "order_id"), "ref-order-1");
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "user-42", "p-2"), "cartProductStatus"),
            "ORDERED");
}

TEST_F(UpdateCartStatusTest, ReadsTheReferenceConsumersStreamRecordWithStringQuantities) {
  add_to_cart("user-42", "p-1", "2023-03-01T09:58:00.000Z");
  add_to_cart("user-42", "p-2", "2023-03-01T09:59:00.000Z");
  const auto body = read_test_event("reference_consumer_message_body.json");
  auto decoded = decode_order_message(body);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->lines.at(0).quantity, 2);
  EXPECT_THAT(failures_of(invoke(sqs_event({body}))), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "user-42", "p-1"), "order_id"), "ref-order-1");
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "user-42", "p-2"), "order_id"), "ref-order-1");
}

TEST_F(UpdateCartStatusTest, EveryMalformedBodyFailsOnlyItsOwnMessage) {
  add_to_cart("u1", "p1", "t1");
  const std::vector<std::string> bad = {
      "",
      "null",
      "[]",
      "\"text\"",
      "{}",
      "\xff\xfe garbage",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u1"}})",                          // no items
      R"({"order_id":{"S":"o"},"user_id":{"S":"u1"},"order_items":{"S":"x"}})",  // not a list
      R"({"order_id":{"N":"1"},"user_id":{"S":"u1"},"order_items":{"L":[]}})",   // id not S
      R"({"order_id":{"S":"o"},"user_id":{"S":"u1"},"order_items":{"L":[{"S":"p1"}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u1"},"order_items":{"L":[{"M":{)"
      R"("productId":{"S":"p1"},"quantity":{"N":"1"}}}]}})",  // no addedOn
      R"({"order_id":{"S":"o"},"user_id":{"S":"u1"},"order_items":{"L":[{"M":{)"
      R"("productId":{"S":"p1"},"addedOn":{"S":"t1"},"quantity":{"BOOL":true}}}]}})",
      R"({"order_id":{"S":"o"},"user_id":{"S":"u1"},"order_items":{"L":[{"M":{)"
      R"("productId":{"S":"p1"},"addedOn":{"S":"t1"},"quantity":{"S":"two"}}}]}})",
      R"({"eventName":"INSERT","dynamodb":{"SequenceNumber":"1","Keys":{}}})",  // no NewImage
  };
  std::vector<std::string> bodies = bad;
  bodies.push_back(order_body("o-ok", "u1", {{"p1", "t1"}}));
  const std::string response = invoke(sqs_event(bodies));
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < bad.size(); ++i) expected.push_back("m" + std::to_string(i));
  EXPECT_EQ(failures_of(response), expected);
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "order_id"), "o-ok");
  EXPECT_EQ(obs.metrics.value(kMessagesMalformed), static_cast<std::int64_t>(bad.size()));
  EXPECT_EQ(table.calls(TableOp::kUpdate), 1);
}

// Cancel the order o1 of u1 through the order lifecycle (functions/order_cancel.h), with its
// cart items claimed as POST /order leaves them.
class CancelledOrderTest : public UpdateCartStatusTest {
 protected:
  void SetUp() override {
    for (const auto& line : lines) {
      auto item = cart_item("u1", line.product, line.added_on);
      item["order_id"] = AttributeValue("o1");
      ASSERT_TRUE(store.table->put({item}).ok());
    }
    ASSERT_TRUE(store.table->put({order_item("o1", "u1", lines)}).ok());
  }
  void cancel() {
    auto outcome = cancel_order(*store.table, "o1", 1'714'560'000'000);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    ASSERT_EQ(outcome->kind, CancelOutcome::Kind::kCancelled);
  }
  void expect_released() {
    for (const auto& line : lines) {
      auto item = read_cart_item(*store.table, "u1", line.product);
      EXPECT_EQ(s_attr(item, "cartProductStatus"), "PENDING") << line.product;
      EXPECT_EQ(s_attr(item, "order_id"), "<none>") << line.product;
      EXPECT_NE(s_attr(item, "addedOn"), line.added_on) << line.product;
    }
  }
  const std::vector<Line> lines = {{"p1", "t1"}, {"p2", "t2"}};
};

// The message was sent when the order was placed (status ORDERED); it arrives after the cancel.
TEST_F(CancelledOrderTest, AMessageArrivingAfterTheCancelLeavesTheItemsAloneWithoutFailing) {
  cancel();
  EXPECT_THAT(failures_of(invoke(sqs_event({order_body("o1", "u1", lines)}))), IsEmpty());
  expect_released();
  EXPECT_EQ(obs.metrics.value(kCartItemsOrdered), 0);
  EXPECT_EQ(obs.metrics.value(kCartItemsSkipped), 2);
  EXPECT_EQ(obs.metrics.value(kMessagesFailed), 0);
}

TEST_F(CancelledOrderTest, ACancelAfterThePipelineReleasesTheOrderedItems) {
  EXPECT_THAT(failures_of(invoke(sqs_event({order_body("o1", "u1", lines)}))), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "cartProductStatus"), "ORDERED");
  cancel();
  expect_released();
  // A redelivery of the message afterwards changes nothing and does not fail.
  EXPECT_THAT(failures_of(invoke(sqs_event({order_body("o1", "u1", lines)}))), IsEmpty());
  expect_released();
  EXPECT_EQ(obs.metrics.value(kCartItemsSkipped), 2);
}

TEST_F(CancelledOrderTest, AnItemClaimedByAnotherOrderIsNotMarked) {
  auto item = cart_item("u1", "p1", "t1");
  item["order_id"] = AttributeValue("o-other");
  ASSERT_TRUE(store.table->put({item}).ok());
  EXPECT_THAT(failures_of(invoke(sqs_event({order_body("o1", "u1", {{"p1", "t1"}})}))), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "cartProductStatus"), "PENDING");
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "order_id"), "o-other");
  EXPECT_EQ(obs.metrics.value(kCartItemsSkipped), 1);
}

TEST_F(UpdateCartStatusTest, AnOrderNotInStatusOrderedIsIgnored) {
  add_to_cart("u1", "p1", "t1");
  auto order = order_item("o1", "u1", {{"p1", "t1"}});
  order["order_status"] = model::AttributeValue("CANCELLED");
  EXPECT_THAT(failures_of(invoke(sqs_event({model::to_dynamo_json(order)}))), IsEmpty());
  EXPECT_EQ(s_attr(read_cart_item(*store.table, "u1", "p1"), "cartProductStatus"), "PENDING");
  EXPECT_EQ(obs.metrics.value(kMessagesIgnored), 1);
}

TEST_F(UpdateCartStatusTest, ADocumentThatIsNotAnSqsEventIsAFunctionError) {
  for (const char* event : {"", "{", "[]", R"({"Records":[{"body":"x"}]})"}) {
    auto response = handler.invoke(event, context());
    ASSERT_FALSE(response.ok()) << event;
    EXPECT_EQ(response.error().code, model::ErrorCode::kInvalidArgument);
  }
  auto empty = handler.invoke(R"({"Records":[]})", context());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, R"({"batchItemFailures":[]})");
}

TEST_F(UpdateCartStatusTest, LogsPowertoolsKeysAndFlushesEmfCounts) {
  add_to_cart("u1", "p1", "t1");
  invoke(sqs_event({order_body("o1", "u1", {{"p1", "t1"}})}));
  bool summary = false, emf = false;
  for (const auto& line : obs.lines) {
    auto parsed = model::parse_plain_item(line);
    ASSERT_TRUE(parsed.ok()) << line;
    if (parsed->count("_aws")) {
      emf = true;
      EXPECT_EQ(parsed->at(std::string(kCartItemsOrdered)), model::AttributeValue::integer(1));
      continue;
    }
    for (const char* key : {"level", "message", "timestamp", "service", "cold_start",
                            "function_request_id", "xray_trace_id"}) {
      EXPECT_TRUE(parsed->count(key)) << key << " missing in " << line;
    }
    if (parsed->at("message") == model::AttributeValue("queue batch processed")) summary = true;
  }
  EXPECT_TRUE(summary);
  EXPECT_TRUE(emf);
}

}  // namespace
}  // namespace cartflow::functions
