// SPDX-License-Identifier: Apache-2.0
// Embedded queue: sending, message and batch limits, queue configuration.
#include <regex>
#include <set>

#include "queue_fixture.h"

namespace cartflow::embedded {
namespace {

ports::SendEntry entry(std::string id, std::string body) {
  return {std::move(id), std::move(body), {}, std::nullopt};
}

TEST_F(QueueTest, SendReturnsUuidV4AndHexMd5OfBody) {
  auto q = open_queue("orders");
  auto sent = send(*q, "hello");
  EXPECT_EQ(sent.md5_of_body, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_TRUE(std::regex_match(
      sent.message_id,
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << sent.message_id;
  EXPECT_NE(send(*q, "hello").message_id, sent.message_id);
}

TEST_F(QueueTest, ReceiveReturnsWhatWasSent) {
  auto q = open_queue("orders");
  ports::SendEntry e = entry("", "{\"order\": 1}");
  e.attributes["kind"] = {"String", "order", ""};
  e.attributes["count"] = {"Number", "-12.5e3", ""};
  e.attributes["blob"] = {"Binary.gz", "", std::string("\0\x01\xff", 3)};
  auto sent = q->send(e);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  const std::int64_t sent_at = clock_.now_ms();
  clock_.advance_ms(1500);
  auto got = receive(*q);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message_id, sent->message_id);
  EXPECT_EQ(got[0].body, e.body);
  EXPECT_EQ(got[0].md5_of_body, sent->md5_of_body);
  EXPECT_EQ(got[0].attributes, e.attributes);
  EXPECT_EQ(got[0].sent_timestamp_ms, sent_at);
  EXPECT_EQ(got[0].first_receive_timestamp_ms, sent_at + 1500);
  EXPECT_EQ(got[0].receive_count, 1);
  EXPECT_FALSE(got[0].receipt_handle.empty());
}

TEST_F(QueueTest, RejectsEmptyBody) {
  auto q = open_queue("orders");
  auto r = q->send(entry("", ""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_of(r.error()), "MissingParameter");
}

TEST_F(QueueTest, BodyAndAttributesCountTowardTheSizeLimit) {
  auto q = open_queue("orders");
  EXPECT_TRUE(q->send(entry("", std::string(262'144, 'a'))).ok());
  auto over = q->send(entry("", std::string(262'145, 'a')));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(code_of(over.error()), "InvalidParameterValue");
  // 262,140 + name (1) + type (6) + value (1) = 262,148 bytes.
  ports::SendEntry e = entry("", std::string(262'140, 'a'));
  e.attributes["a"] = {"String", "x", ""};
  EXPECT_FALSE(q->send(e).ok());
  EXPECT_EQ(counts(*q).visible, 1);
}

TEST_F(QueueTest, HonoursTheQueuesMaximumMessageSize) {
  QueueConfig config;
  config.name = "small";
  config.maximum_message_size = 1024;
  auto q = open_queue(config);
  EXPECT_TRUE(q->send(entry("", std::string(1024, 'a'))).ok());
  EXPECT_FALSE(q->send(entry("", std::string(1025, 'a'))).ok());
}

TEST_F(QueueTest, RejectsCharactersSqsDoesNotAllow) {
  auto q = open_queue("orders");
  for (const std::string& bad : {std::string("a\x01"), std::string("\x00", 1), std::string("\xEF\xBF\xBE"),
                                std::string("\xC3"), std::string("\xED\xA0\x80"),
                                std::string("\xC0\xAF"), std::string("\xF4\x90\x80\x80")}) {
    auto r = q->send(entry("", bad));
    ASSERT_FALSE(r.ok()) << "accepted a bad body";
    EXPECT_EQ(code_of(r.error()), "InvalidMessageContents");
    EXPECT_NE(r.error().message.find("Invalid characters found"), std::string::npos);
  }
  for (const std::string& good : {std::string("tab\tline\nret\r"), std::string("\xC3\xA9t\xC3\xA9"),
                                 std::string("\xEE\x80\x80"), std::string("\xF0\x9F\x98\x80"),
                                 std::string("\xF4\x8F\xBF\xBF")}) {
    EXPECT_TRUE(q->send(entry("", good)).ok()) << good;
  }
  EXPECT_EQ(counts(*q).visible, 5);
}

TEST_F(QueueTest, RejectsBadMessageAttributes) {
  auto q = open_queue("orders");
  auto with = [](std::string name, ports::MessageAttribute a) {
    ports::SendEntry e = entry("", "body");
    e.attributes[std::move(name)] = std::move(a);
    return e;
  };
  EXPECT_FALSE(q->send(with("empty", {"String", "", ""})).ok());
  EXPECT_FALSE(q->send(with("type", {"Text", "x", ""})).ok());
  EXPECT_FALSE(q->send(with("AWS.reserved", {"String", "x", ""})).ok());
  EXPECT_FALSE(q->send(with("amazon.reserved", {"String", "x", ""})).ok());
  EXPECT_FALSE(q->send(with("a..b", {"String", "x", ""})).ok());
  EXPECT_FALSE(q->send(with("sp ace", {"String", "x", ""})).ok());
  EXPECT_FALSE(q->send(with("num", {"Number", "12abc", ""})).ok());
  EXPECT_FALSE(q->send(with("bin", {"Binary", "text", ""})).ok());
  auto chars = q->send(with("s", {"String", "\x02", ""}));
  ASSERT_FALSE(chars.ok());
  EXPECT_EQ(code_of(chars.error()), "InvalidMessageContents");
  ports::SendEntry eleven = entry("", "body");
  for (int i = 0; i < 11; ++i) eleven.attributes["a" + std::to_string(i)] = {"String", "x", ""};
  EXPECT_FALSE(q->send(eleven).ok());
  EXPECT_TRUE(q->send(with("Custom.type-1_x", {"Number.int", "42", ""})).ok());
  EXPECT_EQ(counts(*q).visible, 1);
}

TEST_F(QueueTest, RejectsDelayOutsideZeroTo900) {
  auto q = open_queue("orders");
  ports::SendEntry e = entry("", "x");
  e.delay_seconds = 901;
  EXPECT_FALSE(q->send(e).ok());
  e.delay_seconds = -1;
  EXPECT_FALSE(q->send(e).ok());
  e.delay_seconds = 900;
  EXPECT_TRUE(q->send(e).ok());
}

TEST_F(QueueTest, BatchWholeCallErrors) {
  auto q = open_queue("orders");
  auto code = [&](const std::vector<ports::SendEntry>& entries) {
    auto r = q->send_batch(entries);
    return r.ok() ? std::string("ok") : code_of(r.error());
  };
  EXPECT_EQ(code({}), "AWS.SimpleQueueService.EmptyBatchRequest");
  std::vector<ports::SendEntry> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(entry("e" + std::to_string(i), "x"));
  EXPECT_EQ(code(eleven), "AWS.SimpleQueueService.TooManyEntriesInBatchRequest");
  EXPECT_EQ(code({entry("a", "x"), entry("a", "y")}),
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
  EXPECT_EQ(code({entry("bad id", "x")}), "AWS.SimpleQueueService.InvalidBatchEntryId");
  EXPECT_EQ(code({entry(std::string(81, 'a'), "x")}), "AWS.SimpleQueueService.InvalidBatchEntryId");
  EXPECT_EQ(code({entry("a", std::string(200'000, 'a')), entry("b", std::string(100'000, 'b'))}),
            "AWS.SimpleQueueService.BatchRequestTooLong");
  EXPECT_EQ(counts(*q).visible, 0);
}

TEST_F(QueueTest, BatchReportsEachEntry) {
  auto q = open_queue("orders");
  auto r = q->send_batch({entry("one", "first"), entry("empty", ""), entry("two", "second"),
                          entry("bad", "\x07"), entry("three", "third")});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->successful.size(), 3u);
  EXPECT_EQ(r->successful[0].id, "one");
  EXPECT_EQ(r->successful[1].id, "two");
  EXPECT_EQ(r->successful[2].id, "three");
  EXPECT_EQ(r->successful[1].md5_of_body, "a9f0e61a137d86aa9db53465e0801612");  // md5("second")
  ASSERT_EQ(r->failed.size(), 2u);
  EXPECT_EQ(r->failed[0].id, "empty");
  EXPECT_EQ(r->failed[0].code, "MissingParameter");
  EXPECT_EQ(r->failed[1].id, "bad");
  EXPECT_EQ(r->failed[1].code, "InvalidMessageContents");
  EXPECT_TRUE(r->failed[1].sender_fault);
  auto got = receive(*q);
  ASSERT_EQ(got.size(), 3u);
  std::set<std::string> ids;
  for (const auto& m : got) ids.insert(m.message_id);
  for (const auto& s : r->successful) EXPECT_TRUE(ids.count(s.message_id)) << s.id;
}

TEST_F(QueueTest, OpenValidatesConfiguration) {
  QueueConfig config;
  config.name = "bad name";
  EXPECT_FALSE(SqliteQueue::open(*db_, clock_, config).ok());
  config.name = "q";
  config.message_retention_seconds = 59;
  EXPECT_FALSE(SqliteQueue::open(*db_, clock_, config).ok());
  config.message_retention_seconds = 60;
  config.visibility_timeout_seconds = 43'201;
  EXPECT_FALSE(SqliteQueue::open(*db_, clock_, config).ok());
  config.visibility_timeout_seconds = 30;
  config.redrive_policy = RedrivePolicy{"missing-dlq", 3};
  auto missing = SqliteQueue::open(*db_, clock_, config);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, model::ErrorCode::kNotFound);
  auto not_there = SqliteQueue::open_existing(*db_, clock_, "nothing");
  ASSERT_FALSE(not_there.ok());
  EXPECT_EQ(not_there.error().code, model::ErrorCode::kNotFound);
}

TEST_F(QueueTest, ReopeningAQueueStoresItsNewAttributes) {
  open_queue("dlq");
  QueueConfig config;
  config.name = "orders";
  auto first = open_queue(config);
  config.visibility_timeout_seconds = 5;
  config.redrive_policy = RedrivePolicy{"dlq", 4};
  auto second = open_queue(config);
  auto stored = SqliteQueue::open_existing(*db_, clock_, "orders");
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ((*stored)->config().visibility_timeout_seconds, 5);
  ASSERT_TRUE((*stored)->config().redrive_policy.has_value());
  EXPECT_EQ((*stored)->config().redrive_policy->dead_letter_queue, "dlq");
  EXPECT_EQ((*stored)->config().redrive_policy->max_receive_count, 4);
  send(*first, "shared");
  EXPECT_EQ(counts(**stored).visible, 1);  // same queue, whichever handle
}

TEST_F(QueueTest, QueuesInOneDatabaseAreSeparate) {
  auto a = open_queue("a");
  auto b = open_queue("b");
  send(*a, "for a");
  EXPECT_TRUE(receive(*b).empty());
  auto got = receive(*a);
  ASSERT_EQ(got.size(), 1u);
  auto wrong = b->remove(got[0].receipt_handle);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(code_of(wrong.error()), "ReceiptHandleIsInvalid");
  EXPECT_TRUE(a->remove(got[0].receipt_handle).ok());
}

}  // namespace
}  // namespace cartflow::embedded
