// SPDX-License-Identifier: Apache-2.0
// Database::Sync::kDeferred: a deferred write is visible to readers when write() returns, is
// counted apart from durable ones, survives a reopen, and deferred and durable writes queued
// together by many threads all complete with their own results.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "embedded/database.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

using support::TempDir;

// The database d.db in `dir` with a table t(v), created by a durable write when missing.
std::unique_ptr<Database> open_with_table(const TempDir& dir, bool durable = true) {
  DatabaseOptions options;
  options.path = dir.file("d.db");
  options.durable = durable;
  auto opened = Database::open(options);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().message;
    return nullptr;
  }
  Status created = (*opened)->write(
      [](Connection& c) { return c.exec("CREATE TABLE IF NOT EXISTS t(v INTEGER)"); });
  EXPECT_TRUE(created.ok());
  return std::move(*opened);
}

Status insert(Database& db, int v, Database::Sync sync) {
  return db.write(
      [v](Connection& c) { return c.exec("INSERT INTO t(v) VALUES (" + std::to_string(v) + ")"); },
      sync);
}

std::int64_t count(Database& db) {
  std::int64_t n = -1;
  Status s = db.read([&](Connection& c) -> Status {
    auto stmt = c.prepare("SELECT count(*) FROM t");
    if (!stmt.ok()) return std::move(stmt).error();
    auto row = (*stmt)->step();
    if (!row.ok()) return std::move(row).error();
    n = (*stmt)->column_int(0);
    (*stmt)->reset();
    return {};
  });
  EXPECT_TRUE(s.ok());
  return n;
}

TEST(DeferredWrite, IsVisibleOnReturnAndCountedApart) {
  TempDir dir;
  auto db = open_with_table(dir);
  ASSERT_TRUE(db);
  ASSERT_TRUE(insert(*db, 1, Database::Sync::kDeferred).ok());
  EXPECT_EQ(count(*db), 1);
  ASSERT_TRUE(insert(*db, 2, Database::Sync::kDurable).ok());
  EXPECT_EQ(count(*db), 2);
  const auto stats = db->stats();
  EXPECT_EQ(stats.writes, 3u);
  EXPECT_EQ(stats.deferred_writes, 1u);
  EXPECT_EQ(stats.deferred_groups, 1u);
}

TEST(DeferredWrite, FailureRollsBackOnlyItsOwnChanges) {
  TempDir dir;
  auto db = open_with_table(dir);
  ASSERT_TRUE(db);
  Status failed = db->write(
      [](Connection& c) -> Status {
        if (auto s = c.exec("INSERT INTO t(v) VALUES (7)"); !s.ok()) return s;
        return Error::invalid("no");
      },
      Database::Sync::kDeferred);
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(count(*db), 0);
}

TEST(DeferredWrite, SurvivesReopen) {
  TempDir dir;
  {
    auto db = open_with_table(dir);
    ASSERT_TRUE(db);
    ASSERT_TRUE(insert(*db, 1, Database::Sync::kDeferred).ok());
  }
  auto db = open_with_table(dir);
  ASSERT_TRUE(db);
  EXPECT_EQ(count(*db), 1);
}

TEST(DeferredWrite, NotDurableOptionsDeferEveryWrite) {
  TempDir dir;
  auto db = open_with_table(dir, false);
  ASSERT_TRUE(db);
  ASSERT_TRUE(insert(*db, 1, Database::Sync::kDurable).ok());
  EXPECT_EQ(db->stats().deferred_writes, 2u);
}

TEST(DeferredWrite, MixedWritersFromManyThreadsAllComplete) {
  TempDir dir;
  auto db = open_with_table(dir);
  ASSERT_TRUE(db);
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const auto sync = (t + i) % 2 == 0 ? Database::Sync::kDeferred : Database::Sync::kDurable;
        if (insert(*db, t * kEach + i, sync).ok()) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(count(*db), kThreads * kEach);
  const auto stats = db->stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kThreads * kEach + 1));
  EXPECT_EQ(stats.deferred_writes, static_cast<std::uint64_t>(kThreads * kEach / 2));
}

}  // namespace
}  // namespace cartflow::embedded
