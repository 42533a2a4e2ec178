// SPDX-License-Identifier: Apache-2.0
// SqsQueue against SQS emulators on loopback: local-aws-sqs (tests/peers) and moto_server.
// Every Queue operation, long polling, redrive to a dead-letter queue, batch failures.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "aws/sqs_queue.h"
#include "sqs_local.h"

namespace cartflow::aws {
namespace {

using model::ErrorCode;
using testing::SqsLocal;
using testing::SqsPeer;

class SqsQueueTest : public ::testing::TestWithParam<SqsPeer> {
 protected:
  static void TearDownTestSuite() { peers_.clear(); }
  void SetUp() override {
    auto& peer = peers_[GetParam()];
    if (!peer) peer = std::make_unique<SqsLocal>(GetParam());
    ASSERT_TRUE(peer->error().empty()) << peer->error();
    local_ = peer.get();
  }
  JsonClient& client() { return local_->client(); }
  bool moto() const { return GetParam() == SqsPeer::kMoto; }

  // A new queue with a name unique in this process.
  std::unique_ptr<SqsQueue> make_queue(const std::map<std::string, std::string>& attributes = {}) {
    static std::atomic<int> n{0};
    std::string name = std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
    name = name.substr(0, name.find('/')) + "-" + std::to_string(n++);
    auto url = create_queue(client(), name, attributes);
    EXPECT_TRUE(url.ok()) << url.error().message;
    return std::make_unique<SqsQueue>(client(), url.ok() ? *url : "");
  }

  // Receives until `count` messages arrived (or 20 receives found nothing more).
  static std::vector<ports::Message> receive_all(SqsQueue& q, std::size_t count, int visibility = 60) {
    std::vector<ports::Message> out;
    for (int i = 0; i < 20 && out.size() < count; ++i) {
      int max = static_cast<int>(std::min<std::size_t>(10, count - out.size()));
      auto got = q.receive({max, visibility, std::chrono::seconds(1)});
      EXPECT_TRUE(got.ok()) << got.error().message;
      if (!got.ok()) break;
      for (auto& m : *got) out.push_back(std::move(m));
    }
    return out;
  }

  static inline std::map<SqsPeer, std::unique_ptr<SqsLocal>> peers_;
  SqsLocal* local_ = nullptr;
};

ports::SendEntry entry(std::string id, std::string body) {
  ports::SendEntry e;
  e.id = std::move(id);
  e.body = std::move(body);
  return e;
}

TEST_P(SqsQueueTest, SendsAndReceivesWithSystemAttributes) {
  auto q = make_queue();
  auto sent = q->send(entry("1", "hello {\"json\": true} ünïcødé"));
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_FALSE(sent->message_id.empty());
  EXPECT_EQ(sent->md5_of_body, "6c92e64b36fa76f5ae2e274466de3aa8");
  auto got = q->receive({1, 30, std::chrono::seconds(2)});
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  const auto& m = got->front();
  EXPECT_EQ(m.message_id, sent->message_id);
  EXPECT_EQ(m.body, "hello {\"json\": true} ünïcødé");
  EXPECT_EQ(m.md5_of_body, sent->md5_of_body);
  EXPECT_FALSE(m.receipt_handle.empty());
  EXPECT_GT(m.sent_timestamp_ms, 1'600'000'000'000);
  EXPECT_GE(m.first_receive_timestamp_ms, m.sent_timestamp_ms);
  EXPECT_EQ(m.receive_count, 1);
  ASSERT_TRUE(q->remove(m.receipt_handle).ok());
  auto counts = q->counts();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->visible + counts->in_flight, 0);
}

TEST_P(SqsQueueTest, SendBatchRoundTripsAttributes) {
  auto q = make_queue();
  std::vector<ports::SendEntry> entries;
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes.push_back(static_cast<char>(c));
  for (int i = 0; i < 10; ++i) {
    auto e = entry("e" + std::to_string(i), "body " + std::to_string(i));
    e.attributes["kind"] = {"String", "order-" + std::to_string(i), ""};
    e.attributes["amount"] = {"Number", std::to_string(i * 100) + ".5", ""};
    e.attributes["blob"] = {"Binary", "", bytes.substr(static_cast<std::size_t>(i))};
    e.attributes["tagged"] = {"String.custom", "x", ""};
    entries.push_back(std::move(e));
  }
  auto sent = q->send_batch(entries);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent->successful.size(), 10u);
  EXPECT_TRUE(sent->failed.empty());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sent->successful[static_cast<std::size_t>(i)].id, entries[static_cast<std::size_t>(i)].id);
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < 10; ++i) by_id[sent->successful[i].message_id] = i;
  auto got = receive_all(*q, 10);
  ASSERT_EQ(got.size(), 10u);
  for (const auto& m : got) {
    ASSERT_TRUE(by_id.count(m.message_id));
    const auto& e = entries[by_id[m.message_id]];
    EXPECT_EQ(m.body, e.body);
    EXPECT_EQ(m.attributes, e.attributes);
  }
}

TEST_P(SqsQueueTest, VisibilityTimeoutHidesThenReturns) {
  auto q = make_queue({{"VisibilityTimeout", "30"}});
  ASSERT_TRUE(q->send(entry("1", "m")).ok());
  auto first = q->receive({1, 1, std::chrono::seconds(0)});
  ASSERT_TRUE(first.ok() && first->size() == 1u);
  auto hidden = q->receive({1, std::nullopt, std::chrono::seconds(0)});
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(hidden->empty());
  auto again = receive_all(*q, 1, 30);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].message_id, first->front().message_id);
  EXPECT_EQ(again[0].receive_count, 2);
  EXPECT_NE(again[0].receipt_handle, first->front().receipt_handle);
}

TEST_P(SqsQueueTest, LongPollReturnsWhenAMessageIsSent) {
  auto q = make_queue();
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_TRUE(q->send(entry("1", "late")).ok());
  });
  auto got = q->receive({1, 30, std::chrono::seconds(15)});
  sender.join();
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().body, "late");
}

TEST_P(SqsQueueTest, RemoveBatchReportsABadHandlePerEntry) {
  auto q = make_queue();
  ASSERT_TRUE(q->send_batch({entry("a", "1"), entry("b", "2")}).ok());
  auto got = receive_all(*q, 2);
  ASSERT_EQ(got.size(), 2u);
  auto removed = q->remove_batch({{"x", got[0].receipt_handle}, {"bad", "not-a-handle"},
                                  {"y", got[1].receipt_handle}});
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(std::set<std::string>(removed->successful.begin(), removed->successful.end()),
            (std::set<std::string>{"x", "y"}));
  ASSERT_EQ(removed->failed.size(), 1u);
  EXPECT_EQ(removed->failed[0].id, "bad");
  EXPECT_EQ(removed->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_TRUE(removed->failed[0].sender_fault);
  auto dup = q->remove_batch({{"x", "h1"}, {"x", "h2"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
  auto bad = q->remove("not-a-handle");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message.rfind("ReceiptHandleIsInvalid", 0), 0u) << bad.error().message;
}

TEST_P(SqsQueueTest, ChangeVisibilityBringsTheMessageBack) {
  auto q = make_queue();
  ASSERT_TRUE(q->send(entry("1", "m")).ok());
  auto first = q->receive({1, 600, std::chrono::seconds(2)});
  ASSERT_TRUE(first.ok() && first->size() == 1u);
  ASSERT_TRUE(q->change_visibility(first->front().receipt_handle, 0).ok());
  auto again = q->receive({1, 600, std::chrono::seconds(2)});
  ASSERT_TRUE(again.ok() && again->size() == 1u);
  EXPECT_EQ(again->front().message_id, first->front().message_id);
  // local-aws-sqs also counts the ChangeMessageVisibility to 0 as a receive.
  EXPECT_GE(again->front().receive_count, 2);
}

TEST_P(SqsQueueTest, CountsAndPurge) {
  auto q = make_queue();
  ASSERT_TRUE(q->send_batch({entry("a", "1"), entry("b", "2"), entry("c", "3")}).ok());
  auto delayed = entry("d", "later");
  delayed.delay_seconds = 600;
  ASSERT_TRUE(q->send(delayed).ok());
  auto got = q->receive({1, 600, std::chrono::seconds(2)});
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  auto counts = q->counts();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  // local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages too.
  EXPECT_EQ(counts->visible, moto() ? 2 : 3);
  EXPECT_EQ(counts->in_flight, 1);
  EXPECT_EQ(counts->delayed, 1);
  ASSERT_TRUE(q->purge().ok());
  if (moto()) {
    counts = q->counts();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->visible + counts->in_flight + counts->delayed, 0);
  } else {
    // local-aws-sqs deletes 60 s after the purge, as SQS may, and refuses a second one meanwhile.
    auto again = q->purge();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kThrottled) << again.error().message;
  }
}

TEST_P(SqsQueueTest, OpensByNameOrUrlAndMissingIsNotFound) {
  auto q = make_queue();
  auto by_name = SqsQueue::open(client(), q->name());
  ASSERT_TRUE(by_name.ok()) << by_name.error().message;
  EXPECT_EQ((*by_name)->url(), q->url());
  auto by_url = SqsQueue::open(client(), q->url());
  ASSERT_TRUE(by_url.ok());
  EXPECT_EQ((*by_url)->name(), q->name());
  ASSERT_TRUE((*by_name)->send(entry("1", "via name")).ok());
  auto got = (*by_url)->receive({1, 30, std::chrono::seconds(2)});
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ(got->front().body, "via name");

  auto missing = SqsQueue::open(client(), "no-such-queue");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound) << missing.error().message;
  ASSERT_TRUE(delete_queue(client(), q->url()).ok());
  auto deleted = SqsQueue::open(client(), q->name());
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
}

TEST_P(SqsQueueTest, RedrivesToTheDeadLetterQueue) {
  auto dlq = make_queue();
  auto arn = queue_arn(client(), dlq->url());
  ASSERT_TRUE(arn.ok()) << arn.error().message;
  auto q = make_queue({{"RedrivePolicy", "{\"deadLetterTargetArn\":\"" + *arn + "\",\"maxReceiveCount\":\"2\"}"}});
  ASSERT_TRUE(q->send(entry("1", "poison")).ok());
  for (int n = 1; n <= 2; ++n) {
    auto got = receive_all(*q, 1, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].receive_count, n);
  }
  std::vector<ports::Message> dead;
  for (int i = 0; i < 10 && dead.empty(); ++i) {
    auto r = q->receive({1, 1, std::chrono::seconds(2)});  // moves it once visible again
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->empty());
    auto d = dlq->receive({1, 30, std::chrono::seconds(0)});
    ASSERT_TRUE(d.ok()) << d.error().message;
    dead = *d;
  }
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].body, "poison");
}

TEST_P(SqsQueueTest, SendBatchFailuresPerEntryAndWholeBatch) {
  auto q = make_queue();
  auto reserved = entry("reserved", "x");
  reserved.attributes["AWS.reserved"] = {"String", "v", ""};
  std::vector<ports::SendEntry> entries{entry("ok1", "fine"), entry("empty", ""),
                                        entry("binary", std::string("\xff\xfe", 2)),
                                        entry("big", std::string(262'145, 'x'))};
  if (!moto()) entries.push_back(reserved);  // moto accepts reserved attribute names
  entries.push_back(entry("ok2", "fine too"));
  auto sent = q->send_batch(entries);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent->successful.size(), 2u);
  EXPECT_EQ(sent->successful[0].id, "ok1");
  EXPECT_EQ(sent->successful[1].id, "ok2");
  std::map<std::string, std::string> codes;
  for (const auto& f : sent->failed) codes[f.id] = f.code;
  EXPECT_EQ(codes["empty"], "MissingParameter");
  EXPECT_EQ(codes["binary"], "InvalidMessageContents");
  EXPECT_EQ(codes["big"], "InvalidParameterValue");
  if (!moto()) {
    EXPECT_EQ(codes["reserved"], "InvalidParameterValue");
  }

  auto dup = q->send_batch({entry("a", "1"), entry("a", "2")});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(dup.error().message.find("BatchEntryIdsNotDistinct"), std::string::npos);
  auto bad_id = q->send_batch({entry("not valid!", "1")});  // SQS checks ids
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code, ErrorCode::kInvalidArgument) << bad_id.error().message;
  EXPECT_NE(bad_id.error().message.find("InvalidBatchEntryId"), std::string::npos) << bad_id.error().message;
  EXPECT_EQ(q->send_batch({}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(q->send_batch(std::vector<ports::SendEntry>(11, entry("x", "y"))).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(q->send(entry("1", "")).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(q->send(entry("1", std::string(262'145, 'x'))).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(q->receive({11, std::nullopt, {}}).error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Peers, SqsQueueTest, ::testing::Values(SqsPeer::kLocalAwsSqs, SqsPeer::kMoto),
                         [](const ::testing::TestParamInfo<SqsPeer>& info) {
                           return info.param == SqsPeer::kMoto ? std::string("moto") : std::string("local_aws_sqs");
                         });

}  // namespace
}  // namespace cartflow::aws
