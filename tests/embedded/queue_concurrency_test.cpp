// SPDX-License-Identifier: Apache-2.0
// Embedded queue under contention: 8 threads each send their share of 10,000 messages and
// receive/delete whatever they get. With a long visibility timeout, every message must be
// delivered exactly once and every delete must succeed.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "queue_fixture.h"

namespace cartflow::embedded {
namespace {

TEST_F(QueueTest, EightThreadsDeliverTenThousandMessagesExactlyOnce) {
  constexpr int kThreads = 8;
  constexpr int kMessages = 10'000;
  constexpr int kPerThread = kMessages / kThreads;
  QueueConfig config;
  config.name = "load";
  config.visibility_timeout_seconds = 43'200;
  auto q = open_queue(config);
  ASSERT_NE(q, nullptr);

  std::mutex mutex;
  std::vector<int> deliveries(kMessages, 0);  // GUARDED_BY(mutex)
  std::atomic<int> deleted{0};
  std::atomic<int> errors{0};

  auto worker = [&](int t) {
    int next = 0;
    while (deleted.load() < kMessages && errors.load() == 0) {
      if (next < kPerThread) {
        std::vector<ports::SendEntry> batch;
        for (int i = 0; i < 10 && next < kPerThread; ++i, ++next) {
          batch.push_back({"e" + std::to_string(i), std::to_string(t * kPerThread + next), {}, {}});
        }
        auto sent = q->send_batch(batch);
        if (!sent.ok() || !sent->failed.empty()) errors.fetch_add(1);
      }
      ports::ReceiveRequest r;
      r.max_messages = 10;
      r.wait = std::chrono::milliseconds(next < kPerThread ? 0 : 50);
      auto got = q->receive(r);
      if (!got.ok()) {
        errors.fetch_add(1);
        continue;
      }
      if (got->empty()) continue;
      std::vector<ports::DeleteEntry> to_delete;
      {
        std::lock_guard lock(mutex);
        for (const auto& m : *got) {
          deliveries[static_cast<std::size_t>(std::stoi(m.body))] += 1;
          to_delete.push_back({"d" + std::to_string(to_delete.size()), m.receipt_handle});
        }
      }
      auto removed = q->remove_batch(to_delete);
      if (!removed.ok() || !removed->failed.empty()) {
        errors.fetch_add(1);
        continue;
      }
      deleted.fetch_add(static_cast<int>(removed->successful.size()));
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (auto& t : threads) t.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(deleted.load(), kMessages);
  int once = 0;
  for (int d : deliveries) once += d == 1 ? 1 : 0;
  EXPECT_EQ(once, kMessages);
  auto c = counts(*q);
  EXPECT_EQ(c.visible + c.in_flight + c.delayed, 0);
}

}  // namespace
}  // namespace cartflow::embedded
