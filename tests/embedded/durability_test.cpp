// SPDX-License-Identifier: Apache-2.0
// Commit, then sync: the ticket rules of ports::Durability on the embedded Database. A gate in
// place of fdatasync holds commits visible but not durable, or fails the sync.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "embedded/database.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

using support::TempDir;

// Stands in for fdatasync: blocks while closed, then syncs for real or fails with an errno.
class SyncGate {
 public:
  std::function<int(int)> hook() {
    return [this](int fd) { return sync(fd); };
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open(int error = 0) {
    std::lock_guard lock(mutex_);
    open_ = true;
    error_ = error;
    cv_.notify_all();
  }
  // Waits until a sync is held in the gate.
  void wait_held() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return held_ > 0; });
  }
  int completed() const {
    std::lock_guard lock(mutex_);
    return completed_;
  }

 private:
  int sync(int fd) {
    std::unique_lock lock(mutex_);
    ++held_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    --held_;
    if (error_ != 0) return error_;
    int rc = ::fdatasync(fd) == 0 ? 0 : errno;
    if (rc == 0) ++completed_;
    return rc;
  }

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = true;
  int error_ = 0;
  int held_ = 0;
  int completed_ = 0;
};

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options{dir_.file("d.db"), true, 2};
    options.sync_hook = gate_.hook();
    auto db = Database::open(options);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(insert().ok());  // creates the table, durably
  }
  void TearDown() override {
    gate_.open();  // the close syncs what is still wanted
    db_.reset();
  }

  Status insert(Database::Sync sync = Database::Sync::kDurable) {
    return db_->write(
        [](Connection& c) { return c.exec("CREATE TABLE IF NOT EXISTS t(x); INSERT INTO t VALUES (1)"); },
        sync);
  }
  Result<std::int64_t> rows(Database::Sync sync = Database::Sync::kDurable) {
    std::int64_t n = -1;
    Status s = db_->read([&](Connection& c) -> Status {
      auto stmt = c.prepare("SELECT count(*) FROM t");
      if (!stmt.ok()) return std::move(stmt).error();
      auto row = (*stmt)->step();
      if (!row.ok()) return std::move(row).error();
      n = (*stmt)->column_int(0);
      return {};
    }, sync);
    if (!s.ok()) return std::move(s).error();
    return n;
  }
  // when_durable's answer, or nullopt when it has not answered by the time `future` is asked.
  static std::future<bool> when(Database& db, ports::Durability::Ticket ticket) {
    auto promise = std::make_shared<std::promise<bool>>();
    auto future = promise->get_future();
    db.when_durable(ticket, [promise](bool durable) { promise->set_value(durable); });
    return future;
  }
  static bool answered(std::future<bool>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  TempDir dir_;
  SyncGate gate_;
  std::unique_ptr<Database> db_;
};

TEST_F(DurabilityTest, ScopedWriteReturnsWhenVisibleAndItsTicketWaitsForTheSync) {
  gate_.close();
  db_->begin_scope();
  ASSERT_TRUE(insert().ok());  // returns although no sync can complete
  auto ticket = db_->end_scope();
  EXPECT_GT(ticket, 0u);
  auto seen = rows(Database::Sync::kDeferred);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, 2);  // visible at once
  auto durable = when(*db_, ticket);
  gate_.wait_held();
  EXPECT_FALSE(answered(durable));  // the sync that would cover it is held
  gate_.open();
  EXPECT_TRUE(durable.get());
  EXPECT_GE(gate_.completed(), 1);
  // Already durable: answered at once, on this thread.
  bool now = false;
  db_->when_durable(ticket, [&](bool ok) { now = ok; });
  EXPECT_TRUE(now);
}

TEST_F(DurabilityTest, ReadOfANonDurableCommitGetsATicketCoveringIt) {
  gate_.close();
  db_->begin_scope();
  ASSERT_TRUE(insert().ok());
  auto writer_ticket = db_->end_scope();
  // Another request reads the new row (an idempotent replay, say) before it is durable.
  db_->begin_scope();
  auto n = rows();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  auto reader_ticket = db_->end_scope();
  EXPECT_GE(reader_ticket, writer_ticket);
  auto durable = when(*db_, reader_ticket);
  gate_.wait_held();
  EXPECT_FALSE(answered(durable));
  gate_.open();
  EXPECT_TRUE(durable.get());
}

TEST_F(DurabilityTest, ScopelessReadOfANonDurableCommitReturnsOnlyOnceItIsDurable) {
  gate_.close();
  db_->begin_scope();
  ASSERT_TRUE(insert().ok());
  (void)db_->end_scope();
  std::atomic<bool> returned{false};
  int synced_when_returned = -1;
  std::thread reader([&] {
    auto n = rows();
    synced_when_returned = gate_.completed();
    returned = true;
    EXPECT_TRUE(n.ok() && *n == 2);
  });
  gate_.wait_held();
  EXPECT_FALSE(returned.load());
  gate_.open();
  reader.join();
  EXPECT_GE(synced_when_returned, 1);
}

TEST_F(DurabilityTest, ScopelessDurableWriteReturnsAfterItsSync) {
  const int before = gate_.completed();
  const auto syncs_before = db_->stats().syncs;
  ASSERT_TRUE(insert().ok());
  EXPECT_GT(gate_.completed(), before);
  EXPECT_GT(db_->stats().syncs, syncs_before);
}

TEST_F(DurabilityTest, NothingPendingMeansTicketZero) {
  db_->begin_scope();
  auto n = rows();  // everything it sees is durable already
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(db_->end_scope(), 0u);
  gate_.close();
  db_->begin_scope();
  ASSERT_TRUE(insert(Database::Sync::kDeferred).ok());  // bookkeeping: not part of an answer
  EXPECT_EQ(db_->end_scope(), 0u);
  EXPECT_EQ(db_->end_scope(), 0u);  // no scope open
  bool called = false;
  db_->when_durable(0, [&](bool ok) { called = ok; });
  EXPECT_TRUE(called);
}

TEST_F(DurabilityTest, FailedSyncFailsEveryWaiterAndEveryLaterWrite) {
  gate_.close();
  db_->begin_scope();
  ASSERT_TRUE(insert().ok());
  auto ticket = db_->end_scope();
  auto scoped = when(*db_, ticket);
  Status blocked_write;
  std::thread writer([&] { blocked_write = insert(); });
  gate_.wait_held();
  gate_.open(EIO);
  writer.join();
  EXPECT_FALSE(scoped.get());
  ASSERT_FALSE(blocked_write.ok());
  EXPECT_EQ(blocked_write.error().code, model::ErrorCode::kUnavailable);
  EXPECT_NE(blocked_write.error().message.find("database sync failed"), std::string::npos)
      << blocked_write.error().message;
  auto later = insert(Database::Sync::kDeferred);
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, model::ErrorCode::kUnavailable);
  auto read = rows();  // it would see commits that may never be durable
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, model::ErrorCode::kUnavailable);
  bool answer = true;
  db_->when_durable(ticket, [&](bool ok) { answer = ok; });
  EXPECT_FALSE(answer);
}

TEST(Durability, NotDurableDatabaseNeverSyncsAndGivesNoTickets) {
  TempDir dir;
  std::atomic<int> syncs{0};
  DatabaseOptions options{dir.file("n.db"), false, 1};
  options.sync_hook = [&](int) { ++syncs; return 0; };
  auto db = Database::open(options);
  ASSERT_TRUE(db.ok());
  (*db)->begin_scope();
  ASSERT_TRUE((*db)->write([](Connection& c) { return c.exec("CREATE TABLE t(x)"); }).ok());
  EXPECT_EQ((*db)->end_scope(), 0u);
  ASSERT_TRUE((*db)->write([](Connection& c) { return c.exec("INSERT INTO t VALUES (1)"); }).ok());
  EXPECT_EQ(syncs.load(), 0);
  EXPECT_EQ((*db)->stats().syncs, 0u);
}

TEST(Durability, CloseSyncsWhatIsPendingBeforeAnsweringTrue) {
  TempDir dir;
  auto db = Database::open({dir.file("c.db"), true, 1});
  ASSERT_TRUE(db.ok());
  (*db)->begin_scope();
  ASSERT_TRUE((*db)->write([](Connection& c) { return c.exec("CREATE TABLE t(x)"); }).ok());
  auto ticket = (*db)->end_scope();
  std::promise<bool> answer;
  (*db)->when_durable(ticket, [&](bool ok) { answer.set_value(ok); });
  db->reset();
  EXPECT_TRUE(answer.get_future().get());
}

}  // namespace
}  // namespace cartflow::embedded
