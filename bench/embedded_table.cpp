// SPDX-License-Identifier: Apache-2.0
// SqliteTable throughput with durability on (the store commits, then syncs the WAL for many
// commits at once): put, get, query (20 items) and a 2-action transaction, from 1 and 8 threads,
// against the ceiling of raw SQLite statements on the same schema shape (WAL, synchronous=FULL:
// one fsync per commit; one connection per thread, one transaction per operation, blobs written
// as given: no key encoding, item codec, GSI or stream). process_cpu_us is the CPU of the whole
// process per operation, the store's writer and sync threads included.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "ports/clock.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

constexpr int kPreloaded = 10'000;  // items for get/query, in partitions of 20
constexpr int kPartition = 20;
const std::string kPayload(200, 'x');

model::Item make_item(const std::string& pk, const std::string& sk) {
  return {{"PK", pk}, {"SK", sk}, {"status", "ORDERED"}, {"total", model::AttributeValue::integer(1250)},
          {"payload", kPayload}};
}

// One database + table per benchmark run, made by thread 0 before the timed loop (the loop's
// start is a barrier for all threads) and dropped after it.
struct TableRun {
  support::TempDir dir{"cartflow-bench"};
  ports::SystemClock clock;
  std::unique_ptr<Database> db;
  std::unique_ptr<SqliteTable> table;
  std::atomic<std::int64_t> next{0};

  explicit TableRun(bool durable) {
    if (dir.path().empty()) std::abort();  // mkdtemp failed
    auto opened = Database::open({dir.file("bench.db"), durable, 8});
    if (!opened.ok()) std::abort();
    db = std::move(*opened);
    ports::TableDescription d{"bench", {"PK", std::string("SK")}, {}, ports::StreamViewType::kNewAndOldImages};
    d.indexes.push_back({"by_status", {"status", std::string("SK")}});
    table = std::make_unique<SqliteTable>(*db, d, clock);
  }
  ~TableRun() {
    table.reset();
    db.reset();
  }
  void preload() {
    for (int i = 0; i < kPreloaded; i += 25) {
      std::vector<ports::WriteRequest> batch;
      for (int j = i; j < i + 25; ++j) {
        batch.push_back({ports::PutRequest{make_item("p" + std::to_string(j / kPartition),
                                                     std::to_string(j)),
                                           std::nullopt, ports::ReturnValues::kNone}});
      }
      if (!table->batch_write(batch).ok()) std::abort();
    }
  }
};
std::unique_ptr<TableRun> table_run;

enum class Op { kPut, kGet, kQuery, kTransact };

// CPU time of the whole process (every thread: the writer's and the sync thread's too), in µs.
double process_cpu_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}
double cpu_at_start = 0;  // thread 0, set after the start barrier

// Reports the process CPU per operation of all threads together (Google Benchmark's CPU column
// counts the calling threads only, not the store's writer thread).
void report_process_cpu(benchmark::State& state) {
  if (state.thread_index() != 0 || state.iterations() == 0) return;
  state.counters["process_cpu_us"] = benchmark::Counter(
      (process_cpu_us() - cpu_at_start) / static_cast<double>(state.iterations() * state.threads()));
}

// durable=false (synchronous=NORMAL) shows the CPU cost of the write path without the fsync.

void run_table(benchmark::State& state, Op op, bool durable = true) {
  if (state.thread_index() == 0) {
    table_run = std::make_unique<TableRun>(durable);
    if (op == Op::kGet || op == Op::kQuery) table_run->preload();
  }
  std::mt19937 rng(static_cast<unsigned>(state.thread_index()) + 1);
  bool started = false;
  for (auto _ : state) {
    if (!started && state.thread_index() == 0) cpu_at_start = process_cpu_us();
    started = true;
    TableRun& run = *table_run;
    bool ok = true;
    switch (op) {
      case Op::kPut: {
        std::int64_t n = run.next.fetch_add(1);
        ok = run.table->put({make_item("w" + std::to_string(n % 64), std::to_string(n)), std::nullopt,
                             ports::ReturnValues::kNone}).ok();
        break;
      }
      case Op::kGet: {
        int j = static_cast<int>(rng() % kPreloaded);
        auto r = run.table->get({{{"PK", "p" + std::to_string(j / kPartition)}, {"SK", std::to_string(j)}},
                                 true, std::nullopt});
        ok = r.ok() && r->has_value();
        break;
      }
      case Op::kQuery: {
        ports::QueryRequest q;
        q.key_condition = model::KeyCondition::hash("PK", "p" + std::to_string(rng() % (kPreloaded / kPartition)));
        auto r = run.table->query(q);
        ok = r.ok() && r->items.size() == kPartition;
        break;
      }
      case Op::kTransact: {
        std::int64_t n = run.next.fetch_add(1);
        std::vector<ports::TransactAction> actions{
            {ports::PutRequest{make_item("order", std::to_string(n)), model::Cond::not_exists(model::path("PK")),
                               ports::ReturnValues::kNone}},
            {ports::PutRequest{make_item("cart", std::to_string(n)), std::nullopt, ports::ReturnValues::kNone}}};
        ok = run.table->transact_write(actions, std::nullopt).ok();
        break;
      }
    }
    if (!ok) state.SkipWithError("operation failed");
  }
  state.SetItemsProcessed(state.iterations());
  report_process_cpu(state);
  if (state.thread_index() == 0) {
    auto stats = table_run->db->stats();
    if (stats.groups > 0) {
      state.counters["writes_per_commit"] =
          static_cast<double>(stats.writes) / static_cast<double>(stats.groups);
    }
    if (stats.syncs > 0) {  // fdatasyncs of the sync thread (preload included)
      state.counters["writes_per_sync"] =
          static_cast<double>(stats.writes) / static_cast<double>(stats.syncs);
    }
    table_run.reset();
  }
}

// ---- raw SQLite: the same row shape, same pragmas, one connection per thread ----------------
struct RawRun {
  support::TempDir dir{"cartflow-bench"};
  std::string path = dir.file("raw.db");
  std::atomic<std::int64_t> next{0};
  bool durable = true;
  explicit RawRun(bool durable_writes) : durable(durable_writes) {
    if (dir.path().empty()) std::abort();  // mkdtemp failed
    sqlite3* db = open();
    exec(db, "CREATE TABLE items(tbl TEXT NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, item BLOB NOT NULL,"
             " PRIMARY KEY (tbl, pk, sk)) WITHOUT ROWID");
    sqlite3_close(db);
  }
  sqlite3* open() const {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) std::abort();
    exec(db, durable ? "PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     : "PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    return db;
  }
  static void exec(sqlite3* db, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
  }
};
std::unique_ptr<RawRun> raw_run;

bool raw_insert(sqlite3_stmt* ins, const std::string& pk, const std::string& sk, const std::string& item) {
  sqlite3_bind_text(ins, 1, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_blob(ins, 2, pk.data(), static_cast<int>(pk.size()), SQLITE_TRANSIENT);
  sqlite3_bind_blob(ins, 3, sk.data(), static_cast<int>(sk.size()), SQLITE_TRANSIENT);
  sqlite3_bind_blob(ins, 4, item.data(), static_cast<int>(item.size()), SQLITE_TRANSIENT);
  bool ok = sqlite3_step(ins) == SQLITE_DONE;
  sqlite3_reset(ins);
  return ok;
}

void run_raw(benchmark::State& state, Op op, bool durable = true) {
  if (state.thread_index() == 0) {
    raw_run = std::make_unique<RawRun>(durable);
    if (op == Op::kGet || op == Op::kQuery) {
      sqlite3* db = raw_run->open();
      sqlite3_stmt* ins = nullptr;
      sqlite3_prepare_v2(db, "INSERT INTO items VALUES (?1, ?2, ?3, ?4)", -1, &ins, nullptr);
      RawRun::exec(db, "BEGIN");
      for (int j = 0; j < kPreloaded; ++j) {
        raw_insert(ins, "Sp" + std::to_string(j / kPartition), "S" + std::to_string(j), kPayload);
      }
      RawRun::exec(db, "COMMIT");
      sqlite3_finalize(ins);
      sqlite3_close(db);
    }
  }
  sqlite3* db = nullptr;
  sqlite3_stmt* ins = nullptr;
  sqlite3_stmt* sel = nullptr;
  sqlite3_stmt* range = nullptr;
  std::mt19937 rng(static_cast<unsigned>(state.thread_index()) + 1);
  bool opened = false;
  for (auto _ : state) {
    if (!opened) {  // after the start barrier: thread 0 has created the file
      state.PauseTiming();
      db = raw_run->open();
      sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO items VALUES (?1, ?2, ?3, ?4)", -1, &ins, nullptr);
      sqlite3_prepare_v2(db, "SELECT item FROM items WHERE tbl = 'bench' AND pk = ?1 AND sk = ?2", -1, &sel, nullptr);
      sqlite3_prepare_v2(db, "SELECT item FROM items WHERE tbl = 'bench' AND pk = ?1 ORDER BY sk", -1, &range, nullptr);
      opened = true;
      state.ResumeTiming();
      if (state.thread_index() == 0) cpu_at_start = process_cpu_us();
    }
    bool ok = true;
    switch (op) {
      case Op::kPut: {
        std::int64_t n = raw_run->next.fetch_add(1);
        ok = raw_insert(ins, "Sw" + std::to_string(n % 64), "S" + std::to_string(n), kPayload);
        break;
      }
      case Op::kGet: {
        int j = static_cast<int>(rng() % kPreloaded);
        std::string pk = "Sp" + std::to_string(j / kPartition), sk = "S" + std::to_string(j);
        sqlite3_bind_blob(sel, 1, pk.data(), static_cast<int>(pk.size()), SQLITE_TRANSIENT);
        sqlite3_bind_blob(sel, 2, sk.data(), static_cast<int>(sk.size()), SQLITE_TRANSIENT);
        ok = sqlite3_step(sel) == SQLITE_ROW;
        benchmark::DoNotOptimize(sqlite3_column_blob(sel, 0));
        sqlite3_reset(sel);
        break;
      }
      case Op::kQuery: {
        std::string pk = "Sp" + std::to_string(rng() % (kPreloaded / kPartition));
        sqlite3_bind_blob(range, 1, pk.data(), static_cast<int>(pk.size()), SQLITE_TRANSIENT);
        int rows = 0;
        while (sqlite3_step(range) == SQLITE_ROW) {
          benchmark::DoNotOptimize(sqlite3_column_blob(range, 0));
          ++rows;
        }
        sqlite3_reset(range);
        ok = rows == kPartition;
        break;
      }
      case Op::kTransact: {
        std::int64_t n = raw_run->next.fetch_add(1);
        ok = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
        ok = ok && raw_insert(ins, "Sorder", "S" + std::to_string(n), kPayload);
        ok = ok && raw_insert(ins, "Scart", "S" + std::to_string(n), kPayload);
        ok = ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
        break;
      }
    }
    if (!ok) state.SkipWithError("raw operation failed");
  }
  state.SetItemsProcessed(state.iterations());
  report_process_cpu(state);
  sqlite3_finalize(ins);
  sqlite3_finalize(sel);
  sqlite3_finalize(range);
  sqlite3_close(db);
  if (state.thread_index() == 0) raw_run.reset();
}

void BM_TablePut(benchmark::State& s) { run_table(s, Op::kPut); }
void BM_RawPut(benchmark::State& s) { run_raw(s, Op::kPut); }
void BM_TableGet(benchmark::State& s) { run_table(s, Op::kGet); }
void BM_RawGet(benchmark::State& s) { run_raw(s, Op::kGet); }
void BM_TableQuery20(benchmark::State& s) { run_table(s, Op::kQuery); }
void BM_RawQuery20(benchmark::State& s) { run_raw(s, Op::kQuery); }
void BM_TableTransact2(benchmark::State& s) { run_table(s, Op::kTransact); }
void BM_RawTransact2(benchmark::State& s) { run_raw(s, Op::kTransact); }
void BM_TablePutNotDurable(benchmark::State& s) { run_table(s, Op::kPut, false); }
void BM_RawPutNotDurable(benchmark::State& s) { run_raw(s, Op::kPut, false); }

#define CARTFLOW_BENCH(fn) BENCHMARK(fn)->Threads(1)->Threads(8)->UseRealTime()->MinTime(1.0)
CARTFLOW_BENCH(BM_TablePut);
CARTFLOW_BENCH(BM_RawPut);
CARTFLOW_BENCH(BM_TableGet);
CARTFLOW_BENCH(BM_RawGet);
CARTFLOW_BENCH(BM_TableQuery20);
CARTFLOW_BENCH(BM_RawQuery20);
CARTFLOW_BENCH(BM_TableTransact2);
CARTFLOW_BENCH(BM_RawTransact2);
CARTFLOW_BENCH(BM_TablePutNotDurable);
CARTFLOW_BENCH(BM_RawPutNotDurable);

}  // namespace
}  // namespace cartflow::embedded
