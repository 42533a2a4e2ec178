// SPDX-License-Identifier: Apache-2.0
// Embedded queue: receiving, visibility, receipt handles, redrive, delay, retention, counts.
#include <set>

#include "queue_fixture.h"

namespace cartflow::embedded {
namespace {

TEST_F(QueueTest, ReceivedMessageIsHiddenForTheVisibilityTimeout) {
  auto q = open_queue("orders");  // default 30 s
  send(*q, "m");
  ASSERT_EQ(receive(*q).size(), 1u);
  EXPECT_TRUE(receive(*q).empty());
  clock_.advance_ms(29'999);
  EXPECT_TRUE(receive(*q).empty());
  clock_.advance_ms(1);
  EXPECT_EQ(receive(*q).size(), 1u);
}

TEST_F(QueueTest, RequestVisibilityTimeoutOverridesTheQueues) {
  auto q = open_queue("orders");
  send(*q, "m");
  ASSERT_EQ(receive(*q, 1, 120).size(), 1u);
  clock_.advance_ms(60'000);
  EXPECT_TRUE(receive(*q).empty());
  clock_.advance_ms(60'000);
  ASSERT_EQ(receive(*q, 1, 0).size(), 1u);
  EXPECT_EQ(receive(*q).size(), 1u);  // timeout 0: visible again at once
}

TEST_F(QueueTest, EveryReceiveGivesANewHandleAndStalesTheOld) {
  auto q = open_queue("orders");
  send(*q, "m");
  auto first = receive(*q);
  ASSERT_EQ(first.size(), 1u);
  clock_.advance_ms(30'000);
  auto second = receive(*q);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].receipt_handle, first[0].receipt_handle);
  EXPECT_EQ(second[0].message_id, first[0].message_id);
  EXPECT_EQ(second[0].receive_count, 2);
  EXPECT_EQ(second[0].first_receive_timestamp_ms, first[0].first_receive_timestamp_ms);

  auto stale = q->remove(first[0].receipt_handle);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(stale.error()), "ReceiptHandleIsInvalid");
  auto stale_cv = q->change_visibility(first[0].receipt_handle, 0);
  ASSERT_FALSE(stale_cv.ok());
  EXPECT_EQ(code_of(stale_cv.error()), "ReceiptHandleIsInvalid");
  EXPECT_EQ(counts(*q).in_flight, 1);

  EXPECT_TRUE(q->remove(second[0].receipt_handle).ok());
  EXPECT_EQ(code_of(q->remove(second[0].receipt_handle).error()), "ReceiptHandleIsInvalid");
  EXPECT_EQ(code_of(q->remove("garbage").error()), "ReceiptHandleIsInvalid");
  clock_.advance_ms(60'000);
  EXPECT_TRUE(receive(*q).empty());
}

TEST_F(QueueTest, ReceivesAtMostMaxMessagesEachOnce) {
  auto q = open_queue("orders");
  for (int i = 0; i < 15; ++i) send(*q, "m" + std::to_string(i));
  auto a = receive(*q, 10);
  auto b = receive(*q, 10);
  EXPECT_EQ(a.size(), 10u);
  EXPECT_EQ(b.size(), 5u);
  std::set<std::string> bodies;
  for (const auto& m : a) bodies.insert(m.body);
  for (const auto& m : b) bodies.insert(m.body);
  EXPECT_EQ(bodies.size(), 15u);
}

TEST_F(QueueTest, RejectsBadReceiveRequests) {
  auto q = open_queue("orders");
  ports::ReceiveRequest r;
  r.max_messages = 0;
  EXPECT_FALSE(q->receive(r).ok());
  r.max_messages = 11;
  EXPECT_FALSE(q->receive(r).ok());
  r.max_messages = 1;
  r.wait = std::chrono::seconds(21);
  EXPECT_FALSE(q->receive(r).ok());
  r.wait = std::chrono::milliseconds(0);
  r.visibility_timeout_seconds = 43'201;
  EXPECT_FALSE(q->receive(r).ok());
}

TEST_F(QueueTest, MovesToTheDeadLetterQueueAfterMaxReceiveCount) {
  auto dlq = open_queue("orders-dlq");
  QueueConfig config;
  config.name = "orders";
  config.redrive_policy = RedrivePolicy{"orders-dlq", 2};
  auto q = open_queue(config);
  ports::SendEntry e{"", "poison", {{"k", {"String", "v", ""}}}, std::nullopt};
  auto sent = q->send(e);
  ASSERT_TRUE(sent.ok());
  const std::int64_t sent_at = clock_.now_ms();
  for (int i = 1; i <= 2; ++i) {
    auto got = receive(*q);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].receive_count, i);
    clock_.advance_ms(30'000);
  }
  EXPECT_TRUE(receive(*q).empty());  // the third receive moves it instead
  EXPECT_EQ(counts(*q).visible + counts(*q).in_flight, 0);
  EXPECT_EQ(counts(*dlq).visible, 1);
  auto dead = receive(*dlq);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].message_id, sent->message_id);
  EXPECT_EQ(dead[0].body, "poison");
  EXPECT_EQ(dead[0].attributes, e.attributes);
  EXPECT_EQ(dead[0].sent_timestamp_ms, sent_at);
  EXPECT_TRUE(dlq->remove(dead[0].receipt_handle).ok());
}

TEST_F(QueueTest, RedriveMakesRoomForOtherMessagesInTheSameReceive) {
  auto dlq = open_queue("dlq");
  QueueConfig config;
  config.name = "orders";
  config.redrive_policy = RedrivePolicy{"dlq", 1};
  auto q = open_queue(config);
  send(*q, "poison");
  ASSERT_EQ(receive(*q).size(), 1u);
  clock_.advance_ms(30'000);
  send(*q, "fresh");
  auto got = receive(*q, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "fresh");
  EXPECT_EQ(counts(*dlq).visible, 1);
}

TEST_F(QueueTest, DelaysMessagesByQueueAndMessageDelay) {
  QueueConfig config;
  config.name = "delayed";
  config.delay_seconds = 10;
  auto q = open_queue(config);
  send(*q, "queue delay");
  ports::SendEntry e{"", "own delay", {}, 0};
  ASSERT_TRUE(q->send(e).ok());
  e.delay_seconds = 60;
  ASSERT_TRUE(q->send(e).ok());
  auto c = counts(*q);
  EXPECT_EQ(c.visible, 1);
  EXPECT_EQ(c.delayed, 2);
  auto now = receive(*q);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].body, "own delay");
  clock_.advance_ms(10'000);
  auto later = receive(*q);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].body, "queue delay");
  clock_.advance_ms(50'000);
  // The 60 s one, and both received ones, whose 30 s visibility timeouts ended.
  EXPECT_EQ(receive(*q).size(), 3u);
}

TEST_F(QueueTest, MessagesPastRetentionAreNeverDelivered) {
  QueueConfig config;
  config.name = "short";
  config.message_retention_seconds = 60;
  auto q = open_queue(config);
  send(*q, "old");
  clock_.advance_ms(30'000);
  send(*q, "young");
  clock_.advance_ms(30'000);  // "old" is 60 s old now
  EXPECT_EQ(counts(*q).visible, 1);
  auto got = receive(*q);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "young");
  clock_.advance_ms(30'000);
  EXPECT_TRUE(receive(*q).empty());
  EXPECT_EQ(counts(*q).in_flight + counts(*q).visible, 0);
}

TEST_F(QueueTest, DeadLetterRetentionCountsFromTheOriginalEnqueue) {
  QueueConfig dlq_config;
  dlq_config.name = "dlq";
  dlq_config.message_retention_seconds = 120;
  auto dlq = open_queue(dlq_config);
  QueueConfig config;
  config.name = "orders";
  config.redrive_policy = RedrivePolicy{"dlq", 1};
  auto q = open_queue(config);
  send(*q, "m");
  ASSERT_EQ(receive(*q).size(), 1u);
  clock_.advance_ms(100'000);
  EXPECT_TRUE(receive(*q).empty());  // moved
  EXPECT_EQ(counts(*dlq).visible, 1);
  clock_.advance_ms(20'000);  // 120 s since it was sent
  EXPECT_TRUE(receive(*dlq).empty());
}

TEST_F(QueueTest, ChangeVisibility) {
  auto q = open_queue("orders");
  send(*q, "m");
  auto got = receive(*q);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(q->change_visibility(got[0].receipt_handle, 300).ok());
  clock_.advance_ms(299'000);
  EXPECT_TRUE(receive(*q).empty());
  ASSERT_TRUE(q->change_visibility(got[0].receipt_handle, 0).ok());
  EXPECT_EQ(counts(*q).visible, 1);
  auto not_in_flight = q->change_visibility(got[0].receipt_handle, 10);
  ASSERT_FALSE(not_in_flight.ok());
  EXPECT_EQ(code_of(not_in_flight.error()), "MessageNotInflight");
  EXPECT_FALSE(q->change_visibility(got[0].receipt_handle, 43'201).ok());
  auto again = receive(*q);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_F(QueueTest, CountsVisibleInFlightAndDelayed) {
  auto q = open_queue("orders");
  for (int i = 0; i < 3; ++i) send(*q, "v");
  ports::SendEntry delayed{"", "d", {}, 5};
  ASSERT_TRUE(q->send(delayed).ok());
  ASSERT_EQ(receive(*q, 2).size(), 2u);
  auto c = counts(*q);
  EXPECT_EQ(c.visible, 1);
  EXPECT_EQ(c.in_flight, 2);
  EXPECT_EQ(c.delayed, 1);
}

TEST_F(QueueTest, PurgeDeletesEverything) {
  auto q = open_queue("orders");
  auto other = open_queue("other");
  for (int i = 0; i < 5; ++i) send(*q, "m");
  send(*other, "stays");
  auto got = receive(*q, 2);
  ASSERT_TRUE(q->purge().ok());
  auto c = counts(*q);
  EXPECT_EQ(c.visible + c.in_flight + c.delayed, 0);
  EXPECT_FALSE(q->remove(got[0].receipt_handle).ok());
  EXPECT_EQ(counts(*other).visible, 1);
}

TEST_F(QueueTest, RemoveBatchReportsEachEntry) {
  auto q = open_queue("orders");
  send(*q, "a");
  send(*q, "b");
  auto got = receive(*q);
  ASSERT_EQ(got.size(), 2u);
  auto r = q->remove_batch({{"x", got[0].receipt_handle}, {"y", "nonsense"},
                            {"z", got[1].receipt_handle}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->successful, (std::vector<std::string>{"x", "z"}));
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].id, "y");
  EXPECT_EQ(r->failed[0].code, "ReceiptHandleIsInvalid");
  auto dup = q->remove_batch({{"x", "h"}, {"x", "h"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(code_of(dup.error()), "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
  EXPECT_FALSE(q->remove_batch({}).ok());
  clock_.advance_ms(60'000);
  EXPECT_TRUE(receive(*q).empty());
}

TEST_F(QueueTest, ListAndRedriveDeadLetters) {
  auto dlq = open_queue("dlq");
  auto q = open_queue("orders");
  auto a = send(*dlq, "a");
  send(*dlq, "b");
  auto listed = dlq->list_messages(10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].body, "a");
  EXPECT_TRUE((*listed)[0].receipt_handle.empty());
  EXPECT_EQ(counts(*dlq).visible, 2);  // peeking changes nothing
  ASSERT_EQ(receive(*dlq, 1).size(), 1u);
  clock_.advance_ms(1000);

  auto moved = dlq->redrive_all("orders");
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(*moved, 2);
  EXPECT_EQ(counts(*dlq).visible + counts(*dlq).in_flight, 0);
  auto got = receive(*q);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& m : got) {
    EXPECT_EQ(m.receive_count, 1);  // new messages in the destination
    EXPECT_NE(m.message_id, a.message_id);
    EXPECT_EQ(m.sent_timestamp_ms, clock_.now_ms());
  }
  auto missing = dlq->redrive_all("nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, model::ErrorCode::kNotFound);
}

TEST_F(QueueTest, MessagesSurviveReopeningTheDatabase) {
  reopen_db(/*durable=*/true);
  {
    auto dlq = open_queue("dlq");
    QueueConfig config;
    config.name = "orders";
    config.redrive_policy = RedrivePolicy{"dlq", 3};
    auto q = open_queue(config);
    send(*q, "kept");
    send(*q, "in flight");
    ASSERT_EQ(receive(*q, 1).size(), 1u);
  }
  reopen_db(true);
  auto q = SqliteQueue::open_existing(*db_, clock_, "orders");
  ASSERT_TRUE(q.ok()) << q.error().message;
  ASSERT_TRUE((*q)->config().redrive_policy.has_value());
  auto c = counts(**q);
  EXPECT_EQ(c.visible, 1);
  EXPECT_EQ(c.in_flight, 1);
  clock_.advance_ms(30'000);
  auto got = receive(**q);
  ASSERT_EQ(got.size(), 2u);
}

}  // namespace
}  // namespace cartflow::embedded
