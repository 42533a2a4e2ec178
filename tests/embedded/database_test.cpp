// SPDX-License-Identifier: Apache-2.0
#include "embedded/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "embedded/schema.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

using support::TempDir;

std::unique_ptr<Database> open_db(const std::string& path, bool durable = true) {
  auto db = Database::open({path, durable, 2});
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  return db.ok() ? std::move(*db) : nullptr;
}

Status exec_write(Database& db, const std::string& sql) {
  return db.write([sql](Connection& c) { return c.exec(sql); });
}

Result<std::int64_t> count_rows(Database& db, const std::string& table) {
  std::int64_t n = -1;
  Status s = db.read([&](Connection& c) -> Status {
    auto stmt = c.prepare("SELECT count(*) FROM " + table);
    if (!stmt.ok()) return std::move(stmt).error();
    auto row = (*stmt)->step();
    if (!row.ok()) return std::move(row).error();
    n = (*stmt)->column_int(0);
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return n;
}

TEST(Database, CreatesSchemaAtCurrentVersion) {
  TempDir dir;
  auto db = open_db(dir.file("a.db"));
  ASSERT_TRUE(db);
  int version = -1;
  ASSERT_TRUE(db->read([&](Connection& c) -> Status {
                  auto v = schema_version(c);
                  if (!v.ok()) return std::move(v).error();
                  version = *v;
                  return {};
                }).ok());
  EXPECT_EQ(version, Database::kSchemaVersion);
  auto n = count_rows(*db, "items");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
}

TEST(Database, WriteCommitsAndFailedWorkRollsBackOnlyItself) {
  TempDir dir;
  auto db = open_db(dir.file("a.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(exec_write(*db, "CREATE TABLE t(x INTEGER)").ok());
  std::uint64_t before = db->commit_count();
  ASSERT_TRUE(exec_write(*db, "INSERT INTO t VALUES (1)").ok());
  EXPECT_GT(db->commit_count(), before);
  Status failed = db->write([](Connection& c) -> Status {
    if (auto s = c.exec("INSERT INTO t VALUES (2)"); !s.ok()) return s;
    return Error::condition_failed("no");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, model::ErrorCode::kConditionFailed);
  auto n = count_rows(*db, "t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
}

TEST(Database, SecondOpenOfSameFileIsRefused) {
  TempDir dir;
  auto db = open_db(dir.file("a.db"));
  ASSERT_TRUE(db);
  auto second = Database::open({dir.file("a.db"), true, 1});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, model::ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message.find("is in use by another process"), std::string::npos)
      << second.error().message;
  db.reset();
  auto third = Database::open({dir.file("a.db"), true, 1});
  EXPECT_TRUE(third.ok());
}

TEST(Database, NewerSchemaVersionIsRefused) {
  TempDir dir;
  {
    auto c = Connection::open(dir.file("a.db"), false);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->exec("PRAGMA user_version = 99").ok());
  }
  auto db = Database::open({dir.file("a.db"), true, 1});
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("schema version 99 is newer"), std::string::npos)
      << db.error().message;
}

TEST(Database, OlderFileIsMigratedKeepingItsData) {
  TempDir dir;
  {
    auto c = Connection::open(dir.file("a.db"), false);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->exec("CREATE TABLE keep(x); INSERT INTO keep VALUES (7);").ok());
  }
  auto db = open_db(dir.file("a.db"));
  ASSERT_TRUE(db);
  auto kept = count_rows(*db, "keep");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, 1);
  auto items = count_rows(*db, "stream_records");
  EXPECT_TRUE(items.ok());
}

TEST(Database, ConcurrentWritersAreGrouped) {
  TempDir dir;
  auto db = open_db(dir.file("a.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(exec_write(*db, "CREATE TABLE t(x INTEGER)").ok());
  auto base = db->stats();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!exec_write(*db, "INSERT INTO t VALUES (1)").ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = count_rows(*db, "t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kThreads * kPerThread);
  auto after = db->stats();
  EXPECT_EQ(after.writes - base.writes, static_cast<std::uint64_t>(kThreads * kPerThread));
  // Group commit: fewer transactions than writes.
  EXPECT_LT(after.groups - base.groups, after.writes - base.writes);
}

TEST(Database, WaitForCommitWakesOnWrite) {
  TempDir dir;
  auto db = open_db(dir.file("a.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(exec_write(*db, "CREATE TABLE t(x INTEGER)").ok());
  std::uint64_t seen = db->commit_count();
  std::thread writer([&] { (void)exec_write(*db, "INSERT INTO t VALUES (1)"); });
  std::uint64_t now = db->wait_for_commit(seen, std::chrono::minutes(1));
  writer.join();
  EXPECT_GT(now, seen);
}

}  // namespace
}  // namespace cartflow::embedded
