// SPDX-License-Identifier: Apache-2.0
// update-cart-status invoked from several threads at once (the platform does that), on the
// real embedded table: every order lands exactly once; concurrent redeliveries of the same
// message both succeed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "functions/update_cart_status.h"
#include "store_fixture.h"

namespace cartflow::functions {
namespace {

using namespace testing;  // NOLINT: test fixtures

TEST(UpdateCartStatusConcurrency, ParallelInvocationsMarkEveryItemOnce) {
  Store store;
  Observability obs;
  UpdateCartStatus handler{*store.table, obs.logger, obs.metrics, {3}};
  constexpr int kThreads = 4;
  constexpr int kOrdersPerThread = 5;
  std::vector<std::string> events(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    std::vector<std::string> bodies;
    for (int o = 0; o < kOrdersPerThread; ++o) {
      const std::string user = "u" + std::to_string(t) + "-" + std::to_string(o);
      std::vector<Line> lines;
      for (int p = 0; p < 3; ++p) {
        const std::string product = "p" + std::to_string(p);
        EXPECT_TRUE(store.table->put({cart_item(user, product, "t" + product)}).ok());
        lines.push_back({product, "t" + product});
      }
      bodies.push_back(model::to_dynamo_json(order_item("o-" + user, user, lines)));
    }
    // Each thread also gets the first order of thread 0: concurrent redeliveries.
    bodies.push_back(model::to_dynamo_json(
        order_item("o-u0-0", "u0-0", {{"p0", "tp0"}, {"p1", "tp1"}, {"p2", "tp2"}})));
    events[t] = sqs_event(bodies);
  }
  std::vector<std::string> responses(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto r = handler.invoke(events[t], context("req-" + std::to_string(t)));
      responses[t] = r.ok() ? *r : "error: " + r.error().message;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : responses) EXPECT_EQ(r, R"({"batchItemFailures":[]})");
  for (int t = 0; t < kThreads; ++t) {
    for (int o = 0; o < kOrdersPerThread; ++o) {
      const std::string user = "u" + std::to_string(t) + "-" + std::to_string(o);
      for (int p = 0; p < 3; ++p) {
        EXPECT_EQ(s_attr(read_cart_item(*store.table, user, "p" + std::to_string(p)), "order_id"),
                  "o-" + user);
      }
    }
  }
  // 20 orders x 3 lines marked once each; the redelivered order's lines, 4 x 3 more times.
  EXPECT_EQ(obs.metrics.value(kCartItemsOrdered), kThreads * kOrdersPerThread * 3);
  EXPECT_EQ(obs.metrics.value(kCartItemsAlreadyOrdered), kThreads * 3);
}

}  // namespace
}  // namespace cartflow::functions
