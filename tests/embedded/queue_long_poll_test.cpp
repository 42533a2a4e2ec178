// SPDX-License-Identifier: Apache-2.0
// Embedded queue: long polls wake on a commit or when a hidden message becomes visible. No
// time bounds are asserted: only that the poll returned with the message.
#include <future>
#include <set>
#include <thread>

#include "queue_fixture.h"

namespace cartflow::embedded {
namespace {

ports::ReceiveRequest long_poll() {
  ports::ReceiveRequest r;
  r.max_messages = 10;
  r.wait = std::chrono::seconds(20);
  return r;
}

TEST_F(QueueTest, LongPollReturnsWithAMessageSentWhileWaiting) {
  auto q = open_queue("orders");
  auto other = open_queue("other");
  auto poll = std::async(std::launch::async, [&] { return q->receive(long_poll()); });
  // Commits to another queue wake the poll without satisfying it.
  send(*other, "not for you");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  send(*q, "arrived");
  auto got = poll.get();
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, "arrived");
}

TEST_F(QueueTest, LongPollOnAnEmptyQueueReturnsEmptyAfterTheWait) {
  auto q = open_queue("orders");
  ports::ReceiveRequest r;
  r.wait = std::chrono::milliseconds(100);
  auto got = q->receive(r);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
}

TEST_F(QueueTest, LongPollWakesWhenAVisibilityTimeoutEnds) {
  // Real time here: the wake-up comes from the computed expiry, not from a commit.
  ports::SystemClock system;
  QueueConfig config;
  config.name = "orders";
  config.visibility_timeout_seconds = 1;
  auto q = SqliteQueue::open(*db_, system, config);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE((*q)->send({"", "comes back", {}, std::nullopt}).ok());
  ports::ReceiveRequest first;
  auto hidden = (*q)->receive(first);
  ASSERT_TRUE(hidden.ok());
  ASSERT_EQ(hidden->size(), 1u);
  auto got = (*q)->receive(long_poll());
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].receive_count, 2);
}

TEST_F(QueueTest, ManyLongPollersShareMessagesWithoutDuplicates) {
  auto q = open_queue("orders");
  constexpr int kPollers = 4;
  std::vector<std::future<Result<std::vector<ports::Message>>>> polls;
  for (int i = 0; i < kPollers; ++i) {
    polls.push_back(std::async(std::launch::async, [&] {
      ports::ReceiveRequest r = long_poll();
      r.max_messages = 1;
      return q->receive(r);
    }));
  }
  for (int i = 0; i < kPollers; ++i) send(*q, "m" + std::to_string(i));
  std::set<std::string> bodies;
  for (auto& p : polls) {
    auto got = p.get();
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), 1u);
    bodies.insert((*got)[0].body);
  }
  EXPECT_EQ(bodies.size(), static_cast<std::size_t>(kPollers));
}

}  // namespace
}  // namespace cartflow::embedded
