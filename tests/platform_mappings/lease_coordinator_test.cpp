// SPDX-License-Identifier: Apache-2.0
// LeaseCoordinator over a fake sharded stream and the REAL embedded table as its lease table:
// shards split between coordinators, children after parents, a dead owner's shards taken over
// from their checkpoints, and a history in which no shard is read by two owners at once.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "fake_shards.h"
#include "functions/logging.h"
#include "mapping_fixture.h"
#include "platform/lease_coordinator.h"
#include "platform/lease_table.h"
#include "support/embedded_store.h"
#include "support/lease_history.h"

namespace cartflow::platform::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kLease = 300ms;

class LeaseCoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store_.open({.table = lease_table_description("leases")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    leases_ = std::make_unique<LeaseTable>(*store_.table, "arn:stream/1");
  }

  std::unique_ptr<LeaseCoordinator> coordinator(const std::string& owner) {
    StreamMappingConfig config;
    config.starting_position = StartingPosition::kTrimHorizon;
    config.poll_wait = 20ms;
    config.batch_size = 3;
    auto c = LeaseCoordinator::create({.owner = owner, .lease_duration = kLease,
                                       .shard_sync_interval = 100ms},
                                      config, stream_, *leases_, handler_, clock_, logger_);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? std::move(c).value() : nullptr;
  }

  // Every id in `ids` was delivered at least once.
  bool delivered(const std::vector<std::string>& ids) {
    return handler_.wait_until([&](const std::vector<std::vector<Seen>>& calls) {
      std::set<std::string> seen;
      for (const auto& call : calls) {
        for (const auto& s : call) seen.insert(s.id);
      }
      return std::all_of(ids.begin(), ids.end(), [&](const auto& id) { return seen.count(id); });
    });
  }

  std::vector<std::string> append(const std::string& shard, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      ids.push_back(shard + "-" + std::to_string(next_++));
      stream_.append(shard, ids.back());
    }
    return ids;
  }

  support::LeaseHistoryCheck history() {
    std::string log;
    {
      std::lock_guard lock(lines_mutex_);
      for (const auto& l : lines_) log += l + "\n";
    }
    return support::check_lease_history(support::parse_lease_events(log));
  }

  Lease lease_of(const std::string& shard) {
    auto all = leases_->list();
    EXPECT_TRUE(all.ok());
    for (const Lease& l : *all) {
      if (l.shard == shard) return l;
    }
    return {};
  }

  static bool eventually(const std::function<bool()>& pred) {
    for (int i = 0; i < 1000; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  support::EmbeddedStore store_;
  std::unique_ptr<LeaseTable> leases_;
  FakeShardedStream stream_;
  ports::SystemClock clock_;
  std::mutex lines_mutex_;
  std::vector<std::string> lines_;
  functions::Logger logger_{"test",
                            [this](std::string_view line) {
                              std::lock_guard lock(lines_mutex_);
                              lines_.emplace_back(line);
                            },
                            functions::LogLevel::kDebug};
  ScriptedHandler handler_{ScriptedHandler::Kind::kStream,
                           [](int, const std::vector<Seen>&) { return ok_response(); }};
  int next_ = 0;
};

TEST(LeaseTableTest, EveryWriteIsConditionalOnTheVersionRead) {
  support::EmbeddedStore store;
  ASSERT_TRUE(store.open({.table = lease_table_description("leases")}).ok());
  LeaseTable table(*store.table, "s");
  auto created = table.create({.shard = "a", .checkpoint = ports::kTrimHorizon, .parents = {"p"}});
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(table.create(*created).error().code, model::ErrorCode::kConditionFailed);
  auto x = table.take(*created, "x");
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->counter, 1);
  // y read the lease before x took it: its take loses.
  EXPECT_EQ(table.take(*created, "y").error().code, model::ErrorCode::kConditionFailed);
  auto y = table.take(*x, "y");  // y saw x's version (expired, say): it wins
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(table.renew(*x).error().code, model::ErrorCode::kConditionFailed);
  EXPECT_EQ(table.checkpoint(*x, "5").error().code, model::ErrorCode::kConditionFailed);
  EXPECT_EQ(table.release(*x).error().code, model::ErrorCode::kConditionFailed);
  auto checkpointed = table.checkpoint(*y, "7");
  ASSERT_TRUE(checkpointed.ok());
  auto released = table.release(*checkpointed);
  ASSERT_TRUE(released.ok());
  auto listed = table.list();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front(), (Lease{"a", "", 4, "7", {"p"}}));
}

TEST_F(LeaseCoordinatorTest, ChildrenAreReadOnlyAfterTheirParentsReachedShardEnd) {
  stream_.add_shard("a");
  stream_.add_shard("b", {"a"});
  auto in_a = append("a", 5);
  auto in_b = append("b", 4);
  auto c = coordinator("one");
  c->start();
  ASSERT_TRUE(delivered(in_a));
  EXPECT_EQ(c->held(), std::vector<std::string>{"a"});  // b waits for a
  stream_.close("a");
  ASSERT_TRUE(delivered(in_b));
  ASSERT_TRUE(eventually([&] { return lease_of("a").owner.empty(); }));
  EXPECT_EQ(lease_of("a").checkpoint, ports::kShardEnd);
  std::vector<std::string> order;
  for (const auto& call : handler_.calls()) {
    for (const auto& s : call) order.push_back(s.id);
  }
  const auto first_b = std::find(order.begin(), order.end(), in_b.front());
  EXPECT_TRUE(std::none_of(first_b, order.end(), [](const std::string& id) { return id[0] == 'a'; }));
  c->stop();
  EXPECT_EQ(lease_of("b").checkpoint, stream_.checkpoint_of("b", {"4"}));
  EXPECT_TRUE(history().violations.empty());
}

TEST_F(LeaseCoordinatorTest, LeasesOfTrimmedShardsGoAndTheirChildrenAreRead) {
  stream_.add_shard("a");
  stream_.add_shard("b", {"a"});
  auto in_a = append("a", 2);
  auto c = coordinator("one");
  ASSERT_TRUE(c->prepare().ok());
  // "a" is trimmed before anyone read it: its lease goes, and "b" no longer waits for it.
  stream_.remove("a");
  auto in_b = append("b", 2);
  c->start();
  ASSERT_TRUE(delivered(in_b));
  ASSERT_TRUE(eventually([&] { return lease_of("a").shard.empty(); }));
  EXPECT_EQ(c->held(), std::vector<std::string>{"b"});
  c->stop();
}

TEST_F(LeaseCoordinatorTest, ThreeCoordinatorsSplitSixShardsTwoEach) {
  for (const char* s : {"s1", "s2", "s3", "s4", "s5", "s6"}) stream_.add_shard(s);
  auto a = coordinator("a");
  auto b = coordinator("b");
  auto c = coordinator("c");
  a->start();  // takes all six first: the others steal their share
  ASSERT_TRUE(eventually([&] { return a->held().size() == 6; }));
  b->start();
  c->start();
  ASSERT_TRUE(eventually([&] {
    return a->held().size() == 2 && b->held().size() == 2 && c->held().size() == 2;
  }));
  std::vector<std::string> ids;
  for (const char* s : {"s1", "s2", "s3", "s4", "s5", "s6"}) {
    for (auto& id : append(s, 3)) ids.push_back(id);
  }
  ASSERT_TRUE(delivered(ids));
  auto h = history();
  EXPECT_TRUE(h.violations.empty()) << h.violations.front();
  EXPECT_GE(h.acquisitions, 10u);  // six takes, four steals
}

TEST_F(LeaseCoordinatorTest, ADeadOwnersShardIsTakenOverFromItsCheckpoint) {
  stream_.add_shard("s1");
  stream_.add_shard("s2");
  auto a = coordinator("a");
  auto b = coordinator("b");
  a->start();
  ASSERT_TRUE(eventually([&] { return a->held().size() == 2; }));
  b->start();
  ASSERT_TRUE(eventually([&] { return a->held().size() == 1 && b->held().size() == 1; }));
  const std::string dead_shard = a->held().front();
  auto before = append(dead_shard, 6);
  ASSERT_TRUE(delivered(before));
  ASSERT_TRUE(eventually([&] { return lease_of(dead_shard).checkpoint == stream_.checkpoint_of(dead_shard, {"6"}); }));
  const auto calls_before = handler_.calls().size();
  a->stop(/*release=*/false);  // dies holding its lease
  auto after = append(dead_shard, 4);
  ASSERT_TRUE(delivered(after));
  EXPECT_EQ(b->held().size(), 2u);
  EXPECT_EQ(lease_of(dead_shard).owner, "b");
  // Resumed after the checkpoint: nothing the dead owner had checkpointed came again.
  auto calls = handler_.calls();
  for (std::size_t i = calls_before; i < calls.size(); ++i) {
    for (const auto& s : calls[i]) {
      EXPECT_EQ(std::find(before.begin(), before.end(), s.id), before.end()) << s.id;
    }
  }
  auto h = history();
  EXPECT_TRUE(h.violations.empty()) << h.violations.front();
  EXPECT_EQ(h.owners_by_shard[dead_shard].back(), "b");
}

TEST_F(LeaseCoordinatorTest, ReleasedLeasesAreTakenWithoutWaitingForExpiry) {
  stream_.add_shard("s1");
  auto a = coordinator("a");
  auto b = coordinator("b");
  a->start();
  ASSERT_TRUE(eventually([&] { return a->held().size() == 1; }));
  b->start();
  a->stop();  // releases
  const auto released = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return b->held().size() == 1; }));
  EXPECT_LT(std::chrono::steady_clock::now() - released, kLease);
  auto ids = append("s1", 3);
  ASSERT_TRUE(delivered(ids));
  EXPECT_TRUE(history().violations.empty());
}

TEST(LeaseHistoryTest, FindsAReadOverlappingAnotherOwnersTake) {
  const std::string log =
      R"({"message":"lease taken","shard":"s","owner":"a","at_ms":100,"valid_until_ms":400})" "\n"
      R"({"message":"lease read","shard":"s","owner":"a","records":1,"start_ms":150,"end_ms":160})" "\n"
      R"({"message":"lease taken","shard":"s","owner":"b","at_ms":500,"valid_until_ms":800})" "\n"
      R"({"message":"lease read","shard":"s","owner":"a","records":1,"start_ms":510,"end_ms":520})" "\n";
  auto h = support::check_lease_history(support::parse_lease_events(log));
  EXPECT_EQ(h.reads, 2u);
  EXPECT_EQ(h.acquisitions, 2u);
  EXPECT_EQ(h.violations.size(), 2u);  // past a's deadline, and over b's take
}

}  // namespace
}  // namespace cartflow::platform::testing
