// SPDX-License-Identifier: Apache-2.0
// Many threads writing and reading one table at once (run under TSan with the `concurrency`
// label): every acknowledged write is visible, counters add up exactly, the stream has exactly
// one record per change, and group commit really groups.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using model::KeyCondition;
using ports::ReturnValues;

constexpr int kThreads = 8;
constexpr int kPerThread = 150;

TEST_F(TableTest, EightThreadsPutUpdateAndQueryConsistently) {
  auto start = stream_->latest();
  ASSERT_TRUE(start.ok());
  auto base = db_->stats();
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string pk = "t" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        auto put = table_->put({{{"PK", pk}, {"SK", "i" + std::to_string(i)}, {"user", "shared"}},
                                std::nullopt, ReturnValues::kNone});
        if (!put.ok()) ++errors;
        model::Update inc;
        inc.add(model::path("n"), AttributeValue::integer(1));
        if (!table_->update({key("counter", "1"), inc, std::nullopt, ReturnValues::kNone}).ok()) ++errors;
        if (i % 10 == 0) {
          ports::QueryRequest q;
          q.key_condition = KeyCondition::hash("PK", pk);
          auto r = table_->query(q);
          // Read-your-writes: everything this thread put so far is visible.
          if (!r.ok() || r->items.size() != static_cast<std::size_t>(i + 1)) ++errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto counter = table_->get({key("counter", "1"), true, std::nullopt});
  ASSERT_TRUE(counter.ok() && *counter);
  EXPECT_EQ((*counter)->at("n"), AttributeValue::integer(kThreads * kPerThread));

  ports::QueryRequest by_user;
  by_user.index_name = "by_user";
  by_user.key_condition = KeyCondition::hash("user", "shared");
  auto all = table_->query(by_user);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), static_cast<std::size_t>(kThreads * kPerThread));

  auto records = stream_->read(*start, 100000, std::chrono::milliseconds(0));
  ASSERT_TRUE(records.ok());
  // One INSERT per put, one record per counter update (the first is an INSERT).
  EXPECT_EQ(records->records.size(), static_cast<std::size_t>(2 * kThreads * kPerThread));
  std::set<std::string> sequence_numbers;
  for (std::size_t i = 1; i < records->records.size(); ++i) {
    EXPECT_LT(records->records[i - 1].sequence_number, records->records[i].sequence_number);
  }

  auto stats = db_->stats();
  std::uint64_t writes = stats.writes - base.writes;
  std::uint64_t groups = stats.groups - base.groups;
  std::uint64_t syncs = stats.syncs - base.syncs;
  EXPECT_EQ(writes, static_cast<std::uint64_t>(2 * kThreads * kPerThread));
  EXPECT_LT(groups, writes);
  EXPECT_LE(syncs, groups + 1);  // one sync covers every group committed before it
  std::printf("group commit: %llu writes in %llu transactions, %llu fsyncs (%.1f writes per fsync)\n",
              static_cast<unsigned long long>(writes), static_cast<unsigned long long>(groups),
              static_cast<unsigned long long>(syncs),
              static_cast<double>(writes) / static_cast<double>(std::max<std::uint64_t>(syncs, 1)));
}

TEST_F(TableTest, StreamReaderFollowsConcurrentWriters) {
  auto start = stream_->latest();
  ASSERT_TRUE(start.ok());
  constexpr int kWriters = 4;
  constexpr int kEach = 100;
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) put({{"PK", "w" + std::to_string(t)}, {"SK", std::to_string(i)}});
    });
  }
  std::size_t got = 0;
  ports::StreamPosition pos = *start;
  std::map<std::string, int> next_per_writer;
  bool in_order = true;
  while (got < kWriters * kEach) {
    auto batch = stream_->read(pos, 50, std::chrono::seconds(30));
    ASSERT_TRUE(batch.ok());
    if (batch->records.empty()) break;
    for (const auto& r : batch->records) {
      const std::string& w = *r.keys.at("PK").as_s();
      int i = std::stoi(*r.keys.at("SK").as_s());
      if (next_per_writer[w] != i) in_order = false;
      next_per_writer[w] = i + 1;
    }
    got += batch->records.size();
    pos = batch->next;
  }
  for (auto& th : writers) th.join();
  EXPECT_EQ(got, static_cast<std::size_t>(kWriters * kEach));
  EXPECT_TRUE(in_order);  // each writer's records appear in its commit order
}

}  // namespace
}  // namespace cartflow::embedded::testing
