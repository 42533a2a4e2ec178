// SPDX-License-Identifier: Apache-2.0
// QueueMapping on the real embedded queue: deletes successes, leaves reported failures and
// function errors to reappear after the visibility timeout, redrive to the DLQ after
// maxReceiveCount. Single-threaded (poll_once) and on a ManualClock.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mapping_fixture.h"
#include "platform/queue_mapping.h"

namespace cartflow::platform::testing {
namespace {

using Ids = std::vector<std::vector<std::string>>;

class QueueMappingTest : public StoreTest {
 protected:
  QueueMappingConfig config() {
    QueueMappingConfig c;
    c.batch_size = 5;
    c.report_batch_item_failures = true;
    c.poll_wait = std::chrono::milliseconds(0);
    return c;
  }
  std::unique_ptr<QueueMapping> make(const QueueMappingConfig& c, functions::Handler& h) {
    auto m = QueueMapping::create(c, *queue_, h);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? std::move(*m) : nullptr;
  }
  std::size_t poll(QueueMapping& m) {
    auto n = m.poll_once();
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
    return n.ok() ? *n : 0;
  }
  ports::QueueCounts counts(ports::Queue& q) {
    auto r = q.counts();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : ports::QueueCounts{};
  }
  void pass_visibility_timeout() { clock_.advance_ms(31'000); }
};

ScriptedHandler::Script fail_bodies(std::vector<std::string> bad) {
  return [bad](int, const std::vector<Seen>& seen) -> model::Result<std::string> {
    std::vector<std::string> ids;
    for (const auto& s : seen) {
      if (std::find(bad.begin(), bad.end(), s.id) != bad.end()) ids.push_back(s.sequence);
    }
    return item_failures(ids);
  };
}

TEST_F(QueueMappingTest, DeletesABatchThatSucceeded) {
  for (const char* b : {"m1", "m2", "m3"}) send(b);
  ScriptedHandler h(ScriptedHandler::Kind::kQueue, fail_bodies({}));
  auto m = make(config(), h);
  EXPECT_EQ(poll(*m), 3u);
  EXPECT_EQ(h.call_ids(), (Ids{{"m1", "m2", "m3"}}));
  auto c = counts(*queue_);
  EXPECT_EQ(c.visible + c.in_flight, 0);
  pass_visibility_timeout();
  EXPECT_EQ(poll(*m), 0u);
}

TEST_F(QueueMappingTest, BatchSizeLimitsEachInvocation) {
  for (int i = 0; i < 7; ++i) send("m" + std::to_string(i));
  ScriptedHandler h(ScriptedHandler::Kind::kQueue, fail_bodies({}));
  auto m = make(config(), h);
  EXPECT_EQ(poll(*m), 5u);
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(h.calls().size(), 2u);
}

TEST_F(QueueMappingTest, ReportedFailuresReappearAfterTheVisibilityTimeout) {
  for (const char* b : {"m1", "m2", "m3", "m4"}) send(b);
  ScriptedHandler h(ScriptedHandler::Kind::kQueue,
                    [](int call, const std::vector<Seen>& seen) -> model::Result<std::string> {
                      if (call == 0) return item_failures({seen[1].sequence, seen[3].sequence});
                      return item_failures({});
                    });
  auto m = make(config(), h);
  EXPECT_EQ(poll(*m), 4u);
  auto c = counts(*queue_);
  EXPECT_EQ(c.in_flight, 2);  // the two failures wait out their visibility timeout
  EXPECT_EQ(c.visible, 0);
  EXPECT_EQ(poll(*m), 0u);  // not before the timeout
  pass_visibility_timeout();
  EXPECT_EQ(poll(*m), 2u);
  auto calls = h.call_ids();
  ASSERT_EQ(calls.size(), 2u);
  std::sort(calls[1].begin(), calls[1].end());
  EXPECT_EQ(calls[1], (std::vector<std::string>{"m2", "m4"}));
  c = counts(*queue_);
  EXPECT_EQ(c.visible + c.in_flight, 0);
  EXPECT_EQ(m->stats().retries, 2u);
}

TEST_F(QueueMappingTest, FunctionErrorLeavesTheWholeBatch) {
  for (const char* b : {"m1", "m2"}) send(b);
  ScriptedHandler h(ScriptedHandler::Kind::kQueue,
                    [](int call, const std::vector<Seen>&) -> model::Result<std::string> {
                      if (call == 0) return function_error();
                      return item_failures({});
                    });
  auto m = make(config(), h);
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(counts(*queue_).in_flight, 2);
  pass_visibility_timeout();
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(counts(*queue_).in_flight, 0);
  EXPECT_EQ(m->stats().errors, 1u);
}

TEST_F(QueueMappingTest, UnknownItemIdentifierLeavesTheWholeBatch) {
  for (const char* b : {"m1", "m2"}) send(b);
  ScriptedHandler h(ScriptedHandler::Kind::kQueue,
                    [](int, const std::vector<Seen>&) { return item_failures({"not-in-batch"}); });
  auto m = make(config(), h);
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(counts(*queue_).in_flight, 2);
}

TEST_F(QueueMappingTest, WithoutReportBatchItemFailuresAnyAnswerDeletesTheBatch) {
  for (const char* b : {"m1", "m2"}) send(b);
  auto c = config();
  c.report_batch_item_failures = false;
  ScriptedHandler h(ScriptedHandler::Kind::kQueue, fail_bodies({"m1"}));
  auto m = make(c, h);
  EXPECT_EQ(poll(*m), 2u);
  auto counted = counts(*queue_);
  EXPECT_EQ(counted.visible + counted.in_flight, 0);
}

TEST_F(QueueMappingTest, PoisonMessageGoesToTheDeadLetterQueueAfterMaxReceiveCount) {
  send("poison");
  send("fine");
  ScriptedHandler h(ScriptedHandler::Kind::kQueue, fail_bodies({"poison"}));
  auto m = make(config(), h);
  for (int i = 0; i < 3; ++i) {  // maxReceiveCount 3
    EXPECT_EQ(poll(*m), i == 0 ? 2u : 1u);
    pass_visibility_timeout();
  }
  EXPECT_EQ(poll(*m), 0u);  // the 4th receive moves it instead of delivering it
  auto dead = peek(*dlq_);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].body, "poison");
  auto c = counts(*queue_);
  EXPECT_EQ(c.visible + c.in_flight, 0);
  EXPECT_EQ(h.calls().size(), 3u);
}

TEST_F(QueueMappingTest, EventCarriesReceiveCountAndIdentity) {
  send("m1");
  std::string event_seen;
  struct Capture final : functions::Handler {
    std::string* out;
    explicit Capture(std::string* o) : out(o) {}
    std::string_view name() const override { return "capture"; }
    model::Result<std::string> invoke(std::string_view e,
                                      const functions::InvocationContext& ctx) override {
      *out = std::string(e) + "|" + ctx.invoked_function_arn;
      return std::string("{\"batchItemFailures\":[]}");
    }
  } capture(&event_seen);
  auto m = make(config(), capture);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_NE(event_seen.find("\"eventSource\":\"aws:sqs\""), std::string::npos) << event_seen;
  EXPECT_NE(event_seen.find("\"ApproximateReceiveCount\":\"1\""), std::string::npos);
  EXPECT_NE(event_seen.find("function:update-cart-status"), std::string::npos);
}

TEST_F(QueueMappingTest, RejectsInvalidConfiguration) {
  ScriptedHandler h(ScriptedHandler::Kind::kQueue, fail_bodies({}));
  auto c = config();
  c.batch_size = 11;
  EXPECT_FALSE(QueueMapping::create(c, *queue_, h).ok());
  c = config();
  c.maximum_concurrency = 1;
  EXPECT_FALSE(QueueMapping::create(c, *queue_, h).ok());
  c = config();
  c.poll_wait = std::chrono::seconds(21);
  EXPECT_FALSE(QueueMapping::create(c, *queue_, h).ok());
}

TEST(MappingConfig, ParsesStartingPosition) {
  EXPECT_EQ(*parse_starting_position("LATEST"), StartingPosition::kLatest);
  EXPECT_EQ(*parse_starting_position("TRIM_HORIZON"), StartingPosition::kTrimHorizon);
  EXPECT_FALSE(parse_starting_position("AT_TIMESTAMP").ok());
}

TEST(MappingConfig, ChecksLambdaRanges) {
  StreamMappingConfig s;
  EXPECT_TRUE(validate(s).ok());
  s.maximum_retry_attempts = 10'001;
  EXPECT_FALSE(validate(s).ok());
  s = {};
  s.maximum_batching_window_seconds = 301;
  EXPECT_FALSE(validate(s).ok());
  s = {};
  s.maximum_record_age_seconds = 604'801;
  EXPECT_FALSE(validate(s).ok());
  s = {};
  s.filter_patterns.assign(6, R"({"a":["b"]})");
  EXPECT_FALSE(validate(s).ok());
  QueueMappingConfig q;
  EXPECT_TRUE(validate(q).ok());
  q.maximum_batching_window_seconds = -1;
  EXPECT_FALSE(validate(q).ok());
}

}  // namespace
}  // namespace cartflow::platform::testing
