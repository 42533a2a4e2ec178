// SPDX-License-Identifier: Apache-2.0
#include "functions/update_cart_status_workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace cartflow::functions {
namespace {

TEST(Workers, RunsEveryTaskExactlyOnce) {
  for (std::size_t threads : {0u, 1u, 3u}) {
    Workers workers(threads);
    for (std::size_t n : {0u, 1u, 2u, 7u, 500u}) {
      std::vector<std::atomic<int>> calls(n);
      workers.run(n, [&](std::size_t i) { calls[i].fetch_add(1); });
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(calls[i].load(), 1) << "threads " << threads << " n " << n << " i " << i;
      }
    }
  }
}

TEST(Workers, RunsTasksConcurrentlyWhenItHasHelpers) {
  // Task 0 waits for task 1 to start: only a second thread can run task 1 meanwhile (the
  // caller alone would wait out the whole timeout).
  Workers workers(1);
  std::mutex mutex;
  std::condition_variable cv;
  bool second_started = false;
  bool waited_ok = true;
  workers.run(2, [&](std::size_t i) {
    std::unique_lock<std::mutex> lock(mutex);
    if (i == 1) {
      second_started = true;
      cv.notify_all();
      return;
    }
    waited_ok = cv.wait_for(lock, std::chrono::seconds(30), [&] { return second_started; });
  });
  EXPECT_TRUE(waited_ok);
}

TEST(Workers, NeverRunsMoreThanTheCallerPlusItsHelpers) {
  Workers workers(3);
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  workers.run(200, [&](std::size_t) {
    int now = in_flight.fetch_add(1) + 1;
    int prev = most.load();
    while (now > prev && !most.compare_exchange_weak(prev, now)) {
    }
    std::this_thread::yield();
    in_flight.fetch_sub(1);
  });
  EXPECT_LE(most.load(), 4);
  EXPECT_GE(most.load(), 1);
}

TEST(Workers, SharesHelpersBetweenConcurrentCallers) {
  Workers workers(2);
  std::vector<std::thread> callers;
  std::atomic<long> total{0};
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        std::atomic<int> sum{0};
        workers.run(10, [&](std::size_t i) { sum.fetch_add(static_cast<int>(i)); });
        EXPECT_EQ(sum.load(), 45);  // run() returned only after all ten tasks
        total.fetch_add(sum.load());
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4 * 50 * 45);
}

}  // namespace
}  // namespace cartflow::functions
