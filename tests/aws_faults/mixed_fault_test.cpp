// SPDX-License-Identifier: Apache-2.0
// Concurrent transactions through the fault proxy while a chaos thread keeps switching faults
// (5xx, throttling, resets before and after forwarding, resets of reused connections, short
// delays). Outcomes may be errors, but the table must stay consistent: every transaction is
// applied once or not at all, every acknowledged one is there, and the client recovers.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "fault_fixture.h"

namespace cartflow::aws::testing {
namespace {

using model::ErrorCode;

class MixedFaults : public FaultProxyTest {};

TEST_F(MixedFaults, ConcurrentTransactionsStayAtomicAndAppliedOnce) {
  constexpr int kThreads = 4;
  constexpr int kOrdersPerThread = 15;
  ASSERT_TRUE(direct_->put({item("count", 0)}).ok());

  std::atomic<bool> done{false};
  std::thread chaos([&] {
    std::mt19937 rng(7);
    std::vector<Fault> faults = {
        Fault{FaultKind::kPass},
        Fault{FaultKind::kAnswer, 1, {}, internal_server_error()},
        Fault{FaultKind::kAnswer, 2, {}, provisioned_throughput_exceeded()},
        Fault{FaultKind::kAnswer, 1, {}, throttling_exception()},
        Fault{FaultKind::kResetBeforeForward, 1, {}, {}},
        Fault{FaultKind::kResetAfterForward, 1, {}, {}},
        Fault{FaultKind::kResetAfterForward, 2, {}, {}},
        Fault{FaultKind::kResetReused, 2, {}, {}},
        Fault{FaultKind::kDelay, 2, std::chrono::milliseconds(30), {}},
    };
    while (!done) {
      proxy_->set(faults[rng() % faults.size()]);
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
    proxy_->pass();
  });

  std::mutex m;
  std::vector<std::string> acknowledged;
  std::map<ErrorCode, int> errors;
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kOrdersPerThread; ++i) {
        std::string order = "order_" + std::to_string(t) + "_" + std::to_string(i);
        auto s = table_->transact_write(
            {ports::TransactAction{ports::PutRequest{item(order, 1), model::Cond::not_exists(model::path("PK"))}},
             ports::TransactAction{add_one("count")}},
            std::nullopt);
        std::lock_guard lock(m);
        if (s.ok()) {
          acknowledged.push_back(order);
        } else {
          ++errors[s.error().code];
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  done = true;
  chaos.join();

  // Only retryable outcomes: never a condition failure (a retry meeting its own applied
  // transaction) nor an internal error.
  for (const auto& [code, n] : errors) {
    EXPECT_TRUE(code == ErrorCode::kUnavailable || code == ErrorCode::kThrottled)
        << model::error_code_name(code) << " x" << n;
  }
  auto items = contents();
  std::int64_t count = -1;
  std::set<std::string> orders;
  for (const auto& i : items) {
    const std::string& sk = *i.at("SK").as_s();
    if (sk == "count") {
      count = i.at("n").as_n()->to_int64().value();
    } else {
      EXPECT_EQ(i, item(sk, 1));
      orders.insert(sk);
    }
  }
  EXPECT_EQ(count, static_cast<std::int64_t>(orders.size()));  // each applied once, atomically
  for (const auto& a : acknowledged) EXPECT_TRUE(orders.count(a)) << a;
  EXPECT_GE(orders.size(), acknowledged.size());
  EXPECT_GT(proxy_->seen(), static_cast<std::size_t>(kThreads * kOrdersPerThread));  // faults hit
  std::printf("mixed faults: %zu acknowledged, %zu applied, %d calls, %zu requests seen\n",
              acknowledged.size(), orders.size(), kThreads * kOrdersPerThread, proxy_->seen());
  expect_recovered();
}

}  // namespace
}  // namespace cartflow::aws::testing
