// SPDX-License-Identifier: Apache-2.0
#include "functions/process_cart_products.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace cartflow::functions {
namespace {

using namespace testing;  // NOLINT: test fixtures
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ProcessCartProductsTest : public ::testing::Test {
 protected:
  std::string invoke(const events::DynamoDbStreamEvent& event) {
    auto response = handler.invoke(events::to_json(event), context());
    EXPECT_TRUE(response.ok()) << response.error().message;
    return response.ok() ? *response : std::string();
  }
  // All messages now visible in the real queue, in send order.
  std::vector<ports::Message> drain() {
    std::vector<ports::Message> all;
    for (;;) {
      auto got = store.queue->receive({10, 300, std::chrono::milliseconds(0)});
      EXPECT_TRUE(got.ok());
      if (!got.ok() || got->empty()) break;
      for (auto& m : *got) all.push_back(std::move(m));
    }
    return all;
  }
  static std::string order_id_of(const ports::Message& m) {
    return m.attributes.count("order_id") ? m.attributes.at("order_id").string_value : "";
  }

  Store store;
  FaultyQueue queue{*store.queue};
  Observability obs;
  ProcessCartProducts handler{queue, obs.logger, obs.metrics};
};

TEST_F(ProcessCartProductsTest, SendsTheOrdersNewImageWithItsIdAsAttribute) {
  const auto order = order_item("o1", "u1", {{"p1", "t1", 2}, {"p2", "t2", 1}});
  EXPECT_THAT(failures_of(invoke({{stream_record(0, "INSERT", order)}})), IsEmpty());
  auto messages = drain();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].attributes.at("order_id"), (ports::MessageAttribute{"String", "o1", ""}));
  auto body = model::parse_item(messages[0].body);
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(*body, order);  // the body is the NewImage in DynamoDB JSON, nothing else
  EXPECT_EQ(obs.metrics.value(kOrdersSent), 1);
}

TEST_F(ProcessCartProductsTest, IgnoresNonOrdersModifiesRemovesAndOtherStatuses) {
  auto cancelled = order_item("o2", "u1", {{"p1", "t1"}});
  cancelled["order_status"] = model::AttributeValue("CANCELLED");
  auto no_id = order_item("o3", "u1", {{"p1", "t1"}});
  no_id.erase("order_id");
  const auto ordered = order_item("o1", "u1", {{"p1", "t1"}});
  events::DynamoDbStreamEvent event{{
      stream_record(0, "INSERT", cart_item("u1", "p1", "t1")),  // a cart item
      stream_record(1, "MODIFY", ordered),                       // e.g. a status change
      stream_record(2, "REMOVE", std::nullopt),
      stream_record(3, "INSERT", cancelled),
      stream_record(4, "INSERT", no_id),
      stream_record(5, "INSERT", std::nullopt),  // KEYS_ONLY view
  }};
  event.records[2].dynamodb.keys = {{"PK", ordered.at("PK")}, {"SK", ordered.at("SK")}};
  event.records[2].dynamodb.old_image = ordered;
  EXPECT_THAT(failures_of(invoke(event)), IsEmpty());
  EXPECT_THAT(drain(), IsEmpty());
  EXPECT_THAT(queue.batch_sizes, IsEmpty());
  EXPECT_EQ(obs.metrics.value(kRecordsIgnored), 6);
}

TEST_F(ProcessCartProductsTest, SendsInBatchesOfTenInStreamOrder) {
  events::DynamoDbStreamEvent event;
  for (int i = 0; i < 23; ++i) {
    event.records.push_back(
        stream_record(i, "INSERT", order_item("o" + std::to_string(i), "u1", {{"p1", "t1"}})));
  }
  EXPECT_THAT(failures_of(invoke(event)), IsEmpty());
  EXPECT_THAT(queue.batch_sizes, ElementsAre(10, 10, 3));
  auto messages = drain();
  ASSERT_EQ(messages.size(), 23u);
  std::set<std::string> ids;
  for (const auto& m : messages) ids.insert(order_id_of(m));
  EXPECT_EQ(ids.size(), 23u);
}

TEST_F(ProcessCartProductsTest, ASecondEntryFailureCheckpointsAtItsRecord) {
  // Record 0 is not an order; orders are records 1..4, so the second entry is record 2.
  events::DynamoDbStreamEvent event{{stream_record(0, "MODIFY", cart_item("u1", "p1", "t1"))}};
  for (int i = 1; i <= 4; ++i) {
    event.records.push_back(
        stream_record(i, "INSERT", order_item("o" + std::to_string(i), "u1", {{"p1", "t1"}})));
  }
  queue.entry_fault = [](std::size_t call, std::size_t entry, const ports::SendEntry&) {
    return call == 0 && entry == 1;
  };
  EXPECT_THAT(failures_of(invoke(event)), ElementsAre("1002"));
  std::set<std::string> sent;
  for (const auto& m : drain()) sent.insert(order_id_of(m));
  EXPECT_EQ(sent, (std::set<std::string>{"o1", "o3", "o4"}));
  EXPECT_EQ(obs.metrics.value(kOrderSendFailures), 1);

  // Lambda retries from the checkpoint: records 2..4 again, now without faults. Every order is
  // then in the queue at least once (o3 and o4 twice: the consumer is idempotent).
  queue.entry_fault = nullptr;
  events::DynamoDbStreamEvent retry{{event.records.begin() + 2, event.records.end()}};
  EXPECT_THAT(failures_of(invoke(retry)), IsEmpty());
  std::multiset<std::string> resent;
  for (const auto& m : drain()) resent.insert(order_id_of(m));
  EXPECT_EQ(resent, (std::multiset<std::string>{"o2", "o3", "o4"}));
}

TEST_F(ProcessCartProductsTest, AFailedCallStopsSendingAndCheckpointsAtItsFirstRecord) {
  events::DynamoDbStreamEvent event;
  for (int i = 0; i < 25; ++i) {
    event.records.push_back(
        stream_record(i, "INSERT", order_item("o" + std::to_string(i), "u1", {{"p1", "t1"}})));
  }
  queue.call_fault = [](std::size_t call) -> std::optional<model::Error> {
    if (call == 1) return model::Error::throttled("injected");
    return std::nullopt;
  };
  EXPECT_THAT(failures_of(invoke(event)), ElementsAre("1010"));
  EXPECT_THAT(queue.batch_sizes, ElementsAre(10, 10));  // the third group is not attempted
  EXPECT_EQ(drain().size(), 10u);
}

TEST_F(ProcessCartProductsTest, ADocumentThatIsNotAStreamEventIsAFunctionError) {
  for (const char* event : {"", "{}", R"({"Records":[{"eventName":"INSERT"}]})",
                            R"({"Records":[{"dynamodb":{"SequenceNumber":"1","NewImage":{"x":1}}}]})"}) {
    auto response = handler.invoke(event, context());
    ASSERT_FALSE(response.ok()) << event;
    EXPECT_EQ(response.error().code, model::ErrorCode::kInvalidArgument);
  }
  EXPECT_THAT(queue.batch_sizes, IsEmpty());
}

TEST_F(ProcessCartProductsTest, HandlesTheSampleEventOfCartflowInvoke) {
  auto response = handler.invoke(read_test_event("order_stream_event.json"), context());
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(*response, R"({"batchItemFailures":[]})");
  auto messages = drain();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(order_id_of(messages[0]), "ord-1");
}

}  // namespace
}  // namespace cartflow::functions
