// SPDX-License-Identifier: Apache-2.0
// Several `cartflow serve --backend aws --role pipeline` instances sharing one DynamoDB stream
// by shard leases (platform/lease_coordinator.h), against DynamoDB Local and local-aws-sqs on
// 127.0.0.1: under order load the instance holding a shard's lease is killed (SIGKILL); another
// takes the shard over from the checkpoint in the lease once the lease expires (2 s here), every
// acknowledged order's cart item ends ORDERED, and the lease history of all instances' logs
// shows no shard read by two owners at once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "aws/dynamodb_stream.h"
#include "aws/dynamodb_table.h"
#include "aws_peers.h"
#include "domain/keys.h"
#include "e2e_fixture.h"
#include "functions/api_table.h"
#include "platform/lease_table.h"
#include "ports/shard_stream.h"
#include "support/lease_history.h"

namespace cartflow::e2e {
namespace {

using std::chrono::seconds;

constexpr const char* kVariables[] = {"TABLE_NAME", "UPDATE_CART_PRODUCT_SQS",
                                      "CARTFLOW_API_KEYS_TABLE", "CARTFLOW_LEASES_TABLE",
                                      "POWERTOOLS_LOG_LEVEL"};

struct Acknowledged {
  std::string user;
  std::string product;
  std::string order_id;
};

class ServeLeasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(peers_.error().empty()) << peers_.error();
    peers_.export_environment();
    ::setenv("TABLE_NAME", "LeasedApp", 1);
    ::setenv("UPDATE_CART_PRODUCT_SQS", "LeasedOrders", 1);
    ::setenv("CARTFLOW_API_KEYS_TABLE", "LeasedKeys", 1);
    ::setenv("CARTFLOW_LEASES_TABLE", "LeasedLeases", 1);
  }

  void TearDown() override {
    for (const char* name : kVariables) ::unsetenv(name);
    if (!HasFailure()) return;
    for (auto& p : pipelines_) std::cerr << "--- pipeline stderr ---\n" << p->log().substr(0, 20000);
  }

  std::unique_ptr<ServeProcess> start(const std::string& state, std::vector<std::string> extra) {
    std::vector<std::string> args = {"--backend", "aws", "--create-missing"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    auto instance = ServeProcess::start(dir_.path(), dir_.file(state), error, args, seconds(90));
    EXPECT_NE(instance, nullptr) << error;
    return instance;
  }

  // One user's order of one product through the API: acknowledged when POST /order answers 201.
  std::optional<Acknowledged> order(std::uint16_t port, const std::string& key, int n,
                                    const std::string& product) {
    const std::string user = "lease-user-" + std::to_string(n);
    const HttpResponse added = call(port, key, "POST", "/cart/" + user,
                                    R"({"product_id":")" + product + R"(","quantity":1})");
    if (added.status != 200) return std::nullopt;
    const HttpResponse placed = call(port, key, "POST", "/order", R"({"user_id":")" + user + "\"}");
    if (placed.status != 201) return std::nullopt;
    return Acknowledged{user, product, placed.json_string("order_id")};
  }

  std::string cart_item_attribute(const Acknowledged& a, const std::string& name) {
    aws::DynamoDbTable table(peers_.dynamodb.client(), functions::table_description("LeasedApp"));
    auto item = table.get(
        {.key = {{"PK", domain::user_pk(a.user)}, {"SK", domain::cart_item_sk(a.product)}}});
    if (!item.ok() || !*item) return "";
    auto it = (*item)->find(name);
    return it == (*item)->end() || !it->second.is_s() ? "" : *it->second.as_s();
  }

  std::vector<platform::Lease> leases() {
    auto arn = aws::latest_stream_arn(peers_.dynamodb.client(), "LeasedApp");
    if (!arn.ok()) return {};
    aws::DynamoDbTable table(peers_.dynamodb.client(),
                             platform::lease_table_description("LeasedLeases"));
    platform::LeaseTable leases(table, *arn);
    auto listed = leases.list();
    return listed.ok() ? *listed : std::vector<platform::Lease>{};
  }

  // The pipeline instance whose pid the lease owner id carries ("host:pid:random").
  ServeProcess* owner_process(const std::string& owner) {
    for (auto& p : pipelines_) {
      if (owner.find(":" + std::to_string(p->pid()) + ":") != std::string::npos) return p.get();
    }
    return nullptr;
  }

  AwsPeers peers_;
  TempDir dir_;
  std::vector<std::unique_ptr<ServeProcess>> pipelines_;
};

TEST_F(ServeLeasesTest, KilledOwnersShardIsTakenOverAndEveryAcknowledgedOrderEndsOrdered) {
  auto api = start("api.db", {"--role", "api"});
  ASSERT_NE(api, nullptr);
  const std::string key = api->banner_key();
  ASSERT_EQ(call(api->port(), key, "POST", "/loadProducts").status, 200);
  const HttpResponse listed = call(api->port(), key, "GET", "/products?limit=1");
  ASSERT_EQ(listed.status, 200);
  const std::string product(listed.json().at("products").as_array()[0].at("productId").as_string());

  ::setenv("POWERTOOLS_LOG_LEVEL", "DEBUG", 1);  // "lease read" lines: the history checked below
  for (int i = 0; i < 3; ++i) {
    pipelines_.push_back(start("pipeline" + std::to_string(i) + ".db",
                               {"--role", "pipeline", "--lease-duration", "2"}));
    ASSERT_NE(pipelines_.back(), nullptr);
  }
  ::unsetenv("POWERTOOLS_LOG_LEVEL");

  std::vector<Acknowledged> acknowledged;  // the load thread's until it is joined
  std::atomic<std::size_t> acknowledged_count{0};
  std::atomic<bool> loading{true};
  std::thread load([&] {
    for (int n = 0; loading; ++n) {
      if (auto a = order(api->port(), key, n, product)) {
        acknowledged.push_back(*a);
        ++acknowledged_count;
      }
    }
  });
  auto stop_load = [&] {
    loading = false;
    if (load.joinable()) load.join();
  };

  // Under load, the owner of a shard's lease dies.
  std::string victim_owner, shard;
  const auto deadline = std::chrono::steady_clock::now() + seconds(60);
  while (victim_owner.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    for (const auto& l : leases()) {
      ServeProcess* owner = l.owner.empty() ? nullptr : owner_process(l.owner);
      if (owner == nullptr || l.checkpoint == ports::kTrimHorizon) continue;
      // Its reads are in its log already (lines reach the log up to 50 ms after they are
      // written, and a SIGKILL loses those not yet out): the history below needs them.
      const auto logged = support::parse_lease_events(owner->log());
      if (std::none_of(logged.begin(), logged.end(), [&](const support::LeaseEvent& e) {
            return e.message == "lease read" && e.shard == l.shard && e.owner == l.owner;
          })) {
        continue;
      }
      victim_owner = l.owner;
      shard = l.shard;
      break;
    }
  }
  if (victim_owner.empty()) stop_load();
  ASSERT_FALSE(victim_owner.empty()) << "no lease was taken and checkpointed";
  owner_process(victim_owner)->kill();
  std::this_thread::sleep_for(seconds(6));  // the lease expires (2 s) and is taken over
  // Enough orders to prove something, however slow the peers are on a loaded machine.
  const auto enough_by = std::chrono::steady_clock::now() + seconds(90);
  while (acknowledged_count.load() <= 20 && std::chrono::steady_clock::now() < enough_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  stop_load();
  ASSERT_GT(acknowledged.size(), 20u);

  // Every acknowledged order's item ends ORDERED, with its order id.
  auto ordered = [&](const Acknowledged& a) {
    return cart_item_attribute(a, "cartProductStatus") == "ORDERED";
  };
  const auto drained_by = std::chrono::steady_clock::now() + seconds(120);
  while (!std::all_of(acknowledged.begin(), acknowledged.end(), ordered) &&
         std::chrono::steady_clock::now() < drained_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  for (const Acknowledged& a : acknowledged) {
    EXPECT_EQ(cart_item_attribute(a, "cartProductStatus"), "ORDERED") << a.user;
    EXPECT_EQ(cart_item_attribute(a, "order_id"), a.order_id) << a.user;
  }

  // The shard moved to a live owner, which resumed from the checkpoint in the lease.
  std::vector<support::LeaseEvent> events;
  for (auto& p : pipelines_) {
    for (auto& e : support::parse_lease_events(p->log())) events.push_back(std::move(e));
  }
  std::vector<support::LeaseEvent> takeovers;
  for (const auto& e : events) {
    if (e.shard == shard && e.message == "lease taken" && e.owner != victim_owner) {
      takeovers.push_back(e);
    }
  }
  ASSERT_FALSE(takeovers.empty()) << "shard " << shard << " was not taken over";
  EXPECT_NE(takeovers.back().checkpoint, ports::kTrimHorizon);
  EXPECT_NE(takeovers.back().checkpoint, ports::kShardEnd);
  auto reads_by = [&](const std::string& owner) {
    return std::count_if(events.begin(), events.end(), [&](const support::LeaseEvent& e) {
      return e.message == "lease read" && e.shard == shard && e.owner == owner;
    });
  };
  EXPECT_GT(reads_by(victim_owner), 0) << "the killed owner read nothing before it died";
  EXPECT_GT(reads_by(takeovers.back().owner), 0) << "the new owner read nothing";
  const auto history = support::check_lease_history(events);
  for (const auto& v : history.violations) ADD_FAILURE() << v;
  EXPECT_GT(history.reads, 0u);
  std::cerr << "orders acknowledged: " << acknowledged.size() << ", lease reads: " << history.reads
            << ", acquisitions: " << history.acquisitions << ", shards: "
            << history.owners_by_shard.size() << "\n";

  // The new owner says so on /metrics.
  ServeProcess* taker = owner_process(takeovers.back().owner);
  ASSERT_NE(taker, nullptr);
  EXPECT_EQ(metric_value(call(taker->port(), "", "GET", "/metrics").body,
                         R"(cartflow_stream_leases_held{mapping="OrderStream"})"),
            1);
  for (auto& p : pipelines_) {
    if (p->running()) {
      EXPECT_EQ(p->terminate(), 0);
    }
  }
  EXPECT_EQ(api->terminate(), 0);
}

}  // namespace
}  // namespace cartflow::e2e
