// SPDX-License-Identifier: Apache-2.0
// move_messages and peek_messages over the Queue port: every message arrives with its
// attributes, a message is deleted from its source only after it was sent, and a failure
// between the two leaves a duplicate, never a loss.
#include "queue_moves.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "embedded/database.h"
#include "embedded/sqlite_queue.h"
#include "ports/clock.h"
#include "support/embedded_store.h"
#include "support/faulty_queue.h"

namespace cartflow::app {
namespace {

using support::FaultyQueue;

// Fails, in send_batch, the entries whose body is in `bodies`.
std::function<bool(std::size_t, std::size_t, const ports::SendEntry&)> reject_bodies(
    std::set<std::string> bodies) {
  return [bodies = std::move(bodies)](std::size_t, std::size_t, const ports::SendEntry& e) {
    return bodies.contains(e.body);
  };
}

class QueueMovesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store_.open({.file = "q.db",
                               .durable = true,
                               .read_connections = 4,
                               .queues = {{.name = "dlq"}, {.name = "orders"}}});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    dlq_ = store_.queues[0].get();
    queue_ = store_.queues[1].get();
  }
  void fill_dlq(int n) {
    for (int i = 0; i < n; ++i) {
      ports::SendEntry e{.id = "e", .body = "m" + std::to_string(i)};
      e.attributes["n"] = {.data_type = "Number", .string_value = std::to_string(i)};
      ASSERT_TRUE(dlq_->send(e).ok());
    }
  }
  std::int64_t total(embedded::SqliteQueue& q) {
    auto c = q.counts();
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->visible + c->in_flight + c->delayed : -1;
  }
  // Every body in `q`, received and left in flight.
  std::multiset<std::string> drain(embedded::SqliteQueue& q) {
    std::multiset<std::string> out;
    for (;;) {
      auto got = q.receive({.max_messages = 10, .visibility_timeout_seconds = 600});
      EXPECT_TRUE(got.ok());
      if (!got.ok() || got->empty()) return out;
      for (const auto& m : *got) out.insert(m.body);
    }
  }
  MoveOptions fast() { return {.visibility_timeout_seconds = 60, .wait = std::chrono::milliseconds(0)}; }

  support::EmbeddedStore store_;
  ports::ManualClock& clock_ = store_.clock;
  embedded::SqliteQueue* dlq_ = nullptr;
  embedded::SqliteQueue* queue_ = nullptr;
};

TEST_F(QueueMovesTest, MovesEveryMessageWithItsAttributes) {
  fill_dlq(23);
  auto moved = move_messages(*dlq_, *queue_, fast());
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->moved, 23);
  EXPECT_EQ(moved->failed, 0);
  EXPECT_EQ(total(*dlq_), 0);
  std::set<std::string> seen;
  for (;;) {
    auto got = queue_->receive({.max_messages = 10, .visibility_timeout_seconds = 600});
    ASSERT_TRUE(got.ok());
    if (got->empty()) break;
    for (const auto& m : *got) {
      EXPECT_EQ("m" + m.attributes.at("n").string_value, m.body);
      EXPECT_EQ(m.attributes.at("n").data_type, "Number");
      seen.insert(m.body);
    }
  }
  EXPECT_EQ(seen.size(), 23u);
}

TEST_F(QueueMovesTest, AFailedDeleteLeavesADuplicateNeverALoss) {
  fill_dlq(5);
  FaultyQueue from(*dlq_);
  from.remove_batch_fault = model::Error::unavailable("injected: connection reset");
  auto moved = move_messages(from, *queue_, fast());
  ASSERT_FALSE(moved.ok());
  EXPECT_NE(moved.error().message.find("delivered twice"), std::string::npos) << moved.error().message;
  // Sent, and still in the DLQ (in flight until its visibility timeout ends).
  EXPECT_EQ(total(*queue_), 5);
  EXPECT_EQ(total(*dlq_), 5);
  clock_.advance_ms(61'000);
  EXPECT_EQ(drain(*dlq_).size(), 5u);
}

TEST_F(QueueMovesTest, AMessageThatCannotBeSentStaysInTheSource) {
  fill_dlq(4);
  FaultyQueue to(*queue_);
  to.entry_fault = reject_bodies({"m2"});
  auto moved = move_messages(*dlq_, to, fast());
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->moved, 3);
  EXPECT_EQ(moved->failed, 1);
  EXPECT_EQ(drain(*queue_), (std::multiset<std::string>{"m0", "m1", "m3"}));
  clock_.advance_ms(61'000);
  EXPECT_EQ(drain(*dlq_), (std::multiset<std::string>{"m2"}));
}

TEST_F(QueueMovesTest, PeekListsEachMessageOnceAndPutsThemBack) {
  fill_dlq(15);
  auto listed = peek_messages(*dlq_, 100, fast());
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(listed->size(), 15u);
  auto counts = dlq_->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->visible, 15);  // visible again at once, not after the timeout
  auto limited = peek_messages(*dlq_, 4, fast());
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 4u);
}

}  // namespace
}  // namespace cartflow::app
