// SPDX-License-Identifier: Apache-2.0
// `cartflow serve` stopped while clients are placing orders: by SIGTERM (graceful: in-flight
// requests finish) and by SIGKILL (a crash). After a restart every order that was acknowledged
// with a 2xx is there, and the pipeline resumes from its durable checkpoint until every ordered
// cart item is ORDERED.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <signal.h>

#include "e2e_fixture.h"
#include "stopped_store.h"

namespace cartflow::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct PlacedOrder {
  std::string order_id;
  std::string user;
  std::string product;
};

// Client threads that each loop: add one product to a fresh user's cart, order it. They stop
// when told or when the server is gone (no response at all).
class OrderLoad {
 public:
  OrderLoad(std::uint16_t port, std::string key, std::vector<std::string> products, int threads)
      : port_(port), key_(std::move(key)), products_(std::move(products)) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] { run(t); });
    }
  }
  ~OrderLoad() { join(); }

  // Blocks until at least `count` orders were acknowledged or `timeout` passed.
  bool wait_for_orders(std::size_t count, seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (acknowledged() >= count) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }
  void join() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  std::size_t acknowledged() {
    std::lock_guard lock(mutex_);
    return placed_.size();
  }
  std::vector<PlacedOrder> placed() {
    std::lock_guard lock(mutex_);
    return placed_;
  }
  // Answers that are neither 2xx nor the lost-connection kind, e.g. 500.
  std::vector<std::string> unexpected() {
    std::lock_guard lock(mutex_);
    return unexpected_;
  }

 private:
  void run(int t) {
    for (int i = 0; !stop_ && i < 100000; ++i) {
      const std::string user = "t" + std::to_string(t) + "-" + std::to_string(i) + "-" +
                               std::to_string(generation_);
      const std::string& product = products_[static_cast<std::size_t>(i) % products_.size()];
      const HttpResponse added = call(port_, key_, "POST", "/cart/" + user,
                                      R"({"product_id":")" + product + R"(","quantity":1})");
      if (added.status == 0) return;  // the server is gone
      if (added.status != 200) {
        note("add " + std::to_string(added.status) + " " + added.body);
        continue;
      }
      const HttpResponse order =
          call(port_, key_, "POST", "/order", R"({"user_id":")" + user + R"("})");
      if (order.status == 0) return;
      if (order.status / 100 == 2) {
        std::lock_guard lock(mutex_);
        placed_.push_back({order.json_string("order_id"), user, product});
      } else {
        note("order " + std::to_string(order.status) + " " + order.body);
      }
    }
  }
  void note(std::string what) {
    std::lock_guard lock(mutex_);
    unexpected_.push_back(std::move(what));
  }

  std::uint16_t port_;
  std::string key_;
  std::vector<std::string> products_;
  long generation_ = std::chrono::steady_clock::now().time_since_epoch().count() % 100000;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<PlacedOrder> placed_;
  std::vector<std::string> unexpected_;
  std::vector<std::thread> threads_;
};

class ServeRestartTest : public ServeTest {
 protected:
  // After a restart: every acknowledged order is readable, the pipeline drains, and (after a
  // graceful stop) every ordered cart item is ORDERED with its order's id.
  void expect_orders_survive_and_complete(const std::vector<PlacedOrder>& placed,
                                          const std::string& key) {
    for (const PlacedOrder& p : placed) {
      ASSERT_FALSE(p.order_id.empty());
      const HttpResponse r = call(port, key, "GET", "/orders/" + p.order_id);
      EXPECT_EQ(r.status, 200) << p.order_id << " " << r.body << r.error;
      EXPECT_EQ(r.json_string("user_id"), p.user);
    }
    // Messages in flight at a crash come back after the visibility timeout (30 s).
    const PipelineState s = wait_pipeline_drained(port, key, 0, seconds(50));
    EXPECT_EQ(s.stream_lag, 0);
    EXPECT_EQ(s.queue_pending, 0);
    EXPECT_EQ(s.dead_letters, 0);
    ASSERT_EQ(server->terminate(), 0) << server->log();

    auto store = StoppedStore::open(db);
    ASSERT_TRUE(store.ok()) << store.error().message;
    std::size_t ordered = 0;
    for (const PlacedOrder& p : placed) {
      const std::string status = (*store)->cart_item_attribute(p.user, p.product,
                                                               "cartProductStatus");
      EXPECT_EQ(status, "ORDERED") << p.user << " " << p.order_id;
      EXPECT_EQ((*store)->cart_item_attribute(p.user, p.product, "order_id"), p.order_id);
      ordered += status == "ORDERED" ? 1 : 0;
    }
    std::cout << placed.size() << " acknowledged orders, " << ordered << " cart items ORDERED\n";
  }
};

TEST_F(ServeRestartTest, SigtermWhileOrdersAreInFlightLosesNoAcknowledgedOrder) {
  start_server();
  const std::string key = server->banner_key();
  const std::vector<std::string> products = product_ids(key, 5);
  ASSERT_EQ(products.size(), 5u);

  OrderLoad load(port, key, products, 4);
  ASSERT_TRUE(load.wait_for_orders(20, seconds(30))) << load.acknowledged();
  EXPECT_EQ(server->terminate(seconds(30)), 0) << server->log();  // graceful, exit code 0
  load.join();
  const std::vector<PlacedOrder> placed = load.placed();
  EXPECT_TRUE(load.unexpected().empty()) << load.unexpected().front();

  start_server();
  expect_orders_survive_and_complete(placed, key);
}

TEST_F(ServeRestartTest, SigkillWhileOrdersArePlacedThenRestartResumesThePipeline) {
  start_server();
  const std::string key = server->banner_key();
  const std::vector<std::string> products = product_ids(key, 5);
  ASSERT_EQ(products.size(), 5u);

  OrderLoad load(port, key, products, 4);
  ASSERT_TRUE(load.wait_for_orders(30, seconds(30))) << load.acknowledged();
  server->kill();
  load.join();
  const std::vector<PlacedOrder> placed = load.placed();
  EXPECT_TRUE(load.unexpected().empty()) << load.unexpected().front();

  start_server();
  expect_orders_survive_and_complete(placed, key);
}

}  // namespace
}  // namespace cartflow::e2e
