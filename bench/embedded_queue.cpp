// SPDX-License-Identifier: Apache-2.0
// Embedded queue throughput with durability on (synchronous=FULL, WAL): send, send_batch(10)
// and receive+delete, from 1 and 8 threads, against the ceiling of raw SQLite statements doing
// the same inserts/updates/deletes with the same pragmas (one connection per thread, one
// transaction per operation, no validation, ids or digests).
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "embedded/queue_schema.h"
#include "embedded/sqlite_queue.h"
#include "ports/clock.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

constexpr int kReceiveIterations = 300;  // per thread; the queue is filled before timing
const std::string kBody(200, 'x');

// One database and queue per benchmark run, made by thread 0 before the timed loop (the loop's
// start is a barrier for all threads) and dropped after it.
struct QueueRun {
  support::TempDir dir{"cartflow-bench"};
  ports::SystemClock clock;
  std::unique_ptr<Database> db;
  std::unique_ptr<SqliteQueue> queue;

  QueueRun() {
    if (dir.path().empty()) std::abort();  // mkdtemp failed
    auto opened = Database::open({dir.file("bench.db"), true, 8});
    if (!opened.ok()) std::abort();
    db = std::move(*opened);
    QueueConfig config;
    config.name = "bench";
    config.visibility_timeout_seconds = 43'200;
    auto q = SqliteQueue::open(*db, clock, config);
    if (!q.ok()) std::abort();
    queue = std::move(*q);
  }
  ~QueueRun() {
    queue.reset();
    db.reset();
  }
  void fill(int messages) {
    for (int sent = 0; sent < messages; sent += 10) {
      std::vector<ports::SendEntry> batch;
      for (int i = 0; i < 10; ++i) batch.push_back({"e" + std::to_string(i), kBody, {}, {}});
      if (!queue->send_batch(batch).ok()) std::abort();
    }
  }
};
QueueRun* g_queue = nullptr;

void start_queue(benchmark::State& state, int fill) {
  if (state.thread_index() == 0) {
    g_queue = new QueueRun();
    if (fill > 0) g_queue->fill(fill);
  }
}
void stop_queue(benchmark::State& state) {
  if (state.thread_index() == 0) {
    delete g_queue;
    g_queue = nullptr;
  }
}

void BM_QueueSend(benchmark::State& state) {
  start_queue(state, 0);
  for (auto _ : state) {
    if (!g_queue->queue->send({"", kBody, {}, {}}).ok()) state.SkipWithError("send failed");
  }
  state.SetItemsProcessed(state.iterations());
  stop_queue(state);
}

void BM_QueueSendBatch10(benchmark::State& state) {
  start_queue(state, 0);
  std::vector<ports::SendEntry> batch;
  for (int i = 0; i < 10; ++i) batch.push_back({"e" + std::to_string(i), kBody, {}, {}});
  for (auto _ : state) {
    if (!g_queue->queue->send_batch(batch).ok()) state.SkipWithError("send_batch failed");
  }
  state.SetItemsProcessed(state.iterations() * 10);
  stop_queue(state);
}

void BM_QueueReceiveDelete(benchmark::State& state) {
  start_queue(state, kReceiveIterations * state.threads());
  ports::ReceiveRequest request;
  for (auto _ : state) {
    auto got = g_queue->queue->receive(request);
    if (!got.ok() || got->size() != 1) {
      state.SkipWithError("receive failed");
      break;
    }
    if (!g_queue->queue->remove((*got)[0].receipt_handle).ok()) state.SkipWithError("delete failed");
  }
  state.SetItemsProcessed(state.iterations());
  stop_queue(state);
}

// Raw SQLite: one connection per thread on a file with the queue schema.
struct RawRun {
  support::TempDir dir{"cartflow-bench"};
  std::string path = dir.file("raw.db");
  std::atomic<std::int64_t> next_nonce{0};

  RawRun() {
    if (dir.path().empty()) std::abort();  // mkdtemp failed
    sqlite3* db = open();
    std::string ddl = std::string(kQueueSchemaV1) +
                      "INSERT INTO queues VALUES(1, 'bench', 43200, 345600, 0, 262144, NULL, NULL, 0);";
    if (sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
    sqlite3_close(db);
  }
  sqlite3* open() const {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) std::abort();
    sqlite3_exec(db, "PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; "
                 "PRAGMA synchronous = FULL;", nullptr, nullptr, nullptr);
    return db;
  }
};
RawRun* g_raw = nullptr;

// A thread's connection and its prepared statements.
class RawConnection {
 public:
  RawConnection() : db_(g_raw->open()) {
    insert_ = prepare(
        "INSERT INTO queue_messages(queue_id, message_id, body, md5_of_body, attributes, sent_ms, "
        "visible_at_ms) VALUES(1, 'c4ca4238-a0b9-4382-8dcc-509a6f75849b', ?1, "
        "'c4ca4238a0b923820dcc509a6f75849b', NULL, ?2, ?2)");
    expire_ = prepare("DELETE FROM queue_messages WHERE queue_id = 1 AND sent_ms <= ?1");
    select_ = prepare(
        "SELECT id, message_id, body, md5_of_body, attributes, sent_ms, receive_count, "
        "first_receive_ms FROM queue_messages WHERE queue_id = 1 AND visible_at_ms <= ?1 "
        "ORDER BY visible_at_ms, id LIMIT 1");
    deliver_ = prepare(
        "UPDATE queue_messages SET receive_count = receive_count + 1, first_receive_ms = ?2, "
        "visible_at_ms = ?3, receipt = ?4 WHERE id = ?1");
    remove_ = prepare("DELETE FROM queue_messages WHERE id = ?1 AND queue_id = 1 AND receipt = ?2");
  }
  ~RawConnection() {
    for (sqlite3_stmt* s : {insert_, expire_, select_, deliver_, remove_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  bool insert(std::int64_t now) {
    sqlite3_bind_text(insert_, 1, kBody.data(), static_cast<int>(kBody.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert_, 2, now);
    bool ok = sqlite3_step(insert_) == SQLITE_DONE;
    sqlite3_reset(insert_);
    return ok;
  }
  bool exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

  std::string error() const { return sqlite3_errmsg(db_); }

  // Receives one message as SqliteQueue does (expire, select, update) and deletes it.
  bool receive_delete(std::int64_t now) {
    if (!exec("BEGIN IMMEDIATE")) return false;
    sqlite3_bind_int64(expire_, 1, now - 345'600'000);
    sqlite3_step(expire_);
    sqlite3_reset(expire_);
    sqlite3_bind_int64(select_, 1, now);
    if (sqlite3_step(select_) != SQLITE_ROW) {
      sqlite3_reset(select_);
      exec("ROLLBACK");
      return false;
    }
    std::int64_t id = sqlite3_column_int64(select_, 0);
    sqlite3_reset(select_);
    std::string nonce = std::to_string(g_raw->next_nonce.fetch_add(1));
    sqlite3_bind_int64(deliver_, 1, id);
    sqlite3_bind_int64(deliver_, 2, now);
    sqlite3_bind_int64(deliver_, 3, now + 43'200'000);
    sqlite3_bind_text(deliver_, 4, nonce.data(), static_cast<int>(nonce.size()), SQLITE_STATIC);
    bool ok = sqlite3_step(deliver_) == SQLITE_DONE;
    sqlite3_reset(deliver_);
    if (!exec("COMMIT") || !ok) return false;
    // Write transactions begin IMMEDIATE: a deferred one that upgrades after another commit
    // fails with SQLITE_BUSY_SNAPSHOT without waiting.
    if (!exec("BEGIN IMMEDIATE")) return false;
    sqlite3_bind_int64(remove_, 1, id);
    sqlite3_bind_text(remove_, 2, nonce.data(), static_cast<int>(nonce.size()), SQLITE_STATIC);
    ok = sqlite3_step(remove_) == SQLITE_DONE;
    sqlite3_reset(remove_);
    return exec("COMMIT") && ok;
  }

 private:
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) std::abort();
    return s;
  }
  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* expire_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
  sqlite3_stmt* deliver_ = nullptr;
  sqlite3_stmt* remove_ = nullptr;
};

void start_raw(benchmark::State& state, int fill) {
  if (state.thread_index() == 0) {
    g_raw = new RawRun();
    RawConnection c;
    for (int sent = 0; sent < fill; sent += 10) {
      c.exec("BEGIN IMMEDIATE");
      for (int i = 0; i < 10; ++i) c.insert(0);
      c.exec("COMMIT");
    }
  }
}
void stop_raw(benchmark::State& state) {
  if (state.thread_index() == 0) {
    delete g_raw;
    g_raw = nullptr;
  }
}

void BM_RawSend(benchmark::State& state) {
  start_raw(state, 0);
  std::unique_ptr<RawConnection> c;
  for (auto _ : state) {
    if (!c) c = std::make_unique<RawConnection>();  // after the start barrier: g_raw is set
    bool ok = c->exec("BEGIN IMMEDIATE");
    ok = c->insert(1) && ok;
    if (!c->exec("COMMIT") || !ok) state.SkipWithError("insert failed");
  }
  c.reset();
  state.SetItemsProcessed(state.iterations());
  stop_raw(state);
}

void BM_RawSendBatch10(benchmark::State& state) {
  start_raw(state, 0);
  std::unique_ptr<RawConnection> c;
  for (auto _ : state) {
    if (!c) c = std::make_unique<RawConnection>();
    bool ok = c->exec("BEGIN IMMEDIATE");
    for (int i = 0; i < 10; ++i) ok = c->insert(1) && ok;
    ok = c->exec("COMMIT") && ok;
    if (!ok) state.SkipWithError("batch failed");
  }
  c.reset();
  state.SetItemsProcessed(state.iterations() * 10);
  stop_raw(state);
}

void BM_RawReceiveDelete(benchmark::State& state) {
  start_raw(state, kReceiveIterations * state.threads());
  std::unique_ptr<RawConnection> c;
  for (auto _ : state) {
    if (!c) c = std::make_unique<RawConnection>();
    if (!c->receive_delete(1)) {
      static std::string message;  // SkipWithError keeps the pointer
      message = "receive failed: " + c->error();
      state.SkipWithError(message.c_str());
      break;
    }
  }
  c.reset();
  state.SetItemsProcessed(state.iterations());
  stop_raw(state);
}

BENCHMARK(BM_QueueSend)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_RawSend)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_QueueSendBatch10)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_RawSendBatch10)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_QueueReceiveDelete)->Threads(1)->Threads(8)->UseRealTime()->Iterations(kReceiveIterations);
BENCHMARK(BM_RawReceiveDelete)->Threads(1)->Threads(8)->UseRealTime()->Iterations(kReceiveIterations);

}  // namespace
}  // namespace cartflow::embedded
