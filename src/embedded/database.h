// SPDX-License-Identifier: Apache-2.0
#pragma once

// Database: one SQLite file holding the embedded table, its change stream, the queues and the
// platform's own state. One writer thread commits the work of concurrent writers together
// (group commit: one fsync for many callers); readers use a pool of read-only connections (WAL
// snapshots). A second process opening the same file for writing gets a clear error.
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "embedded/sqlite.h"
#include "model/result.h"

namespace cartflow::embedded {

struct DatabaseOptions {
  std::string path;                 // the database file; its folder must exist
  // true: synchronous=FULL, an acknowledged write survives power loss. false: NORMAL (survives
  // a process crash, may lose the last commits on power loss).
  bool durable = true;
  int read_connections = 4;
  // true: readers only, no lock, no migration, no writer thread; can run beside the process that
  // writes (for `cartflow status`, `keys list`, `dlq list`). write() fails with kUnavailable.
  // open() fails unless the file exists with exactly this build's schema version.
  bool read_only = false;
};

class Database {
 public:
  // Opens or creates the file, takes the single-writer lock, applies pragmas (WAL), creates or
  // migrates the schema. Fails with kUnavailable: "database <path> is in use by another process"
  // when another process holds it, or "database schema version N is newer than this cartflow
  // supports (M)" for a newer file, or sqlite's message (read-only or full filesystem).
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database();  // finishes queued writes, then closes

  // When write() returns. kDurable: once the group's commit is on disk (fsynced under
  // synchronous=FULL). kDeferred: once the commit is visible to readers, without waiting for an
  // fsync: it survives a crash of the process, and is on disk with the next durable commit
  // (the WAL keeps commits in order: a power loss can only drop a suffix of deferred commits).
  // For bookkeeping that at-least-once delivery redoes when lost (queue receive and delete,
  // stream checkpoints), never for data a client was told is stored. Without `durable` in the
  // options every write is deferred.
  enum class Sync { kDurable, kDeferred };

  // Runs `work` on the writer thread inside the current group transaction, in a savepoint:
  // if `work` returns an error, only its own changes are rolled back and the error is returned.
  // Returns once the group's commit is done as `sync` says (or failed: then every member of the
  // group gets kUnavailable). Deferred and durable writes queued together commit in two groups
  // (deferred first, without fsync). `work` must not block or call back into the Database.
  Status write(std::function<Status(Connection&)> work, Sync sync = Sync::kDurable);

  // Runs `read` on a read connection in one snapshot (BEGIN ... COMMIT around it).
  Status read(const std::function<Status(Connection&)>& read);

  // Commit notifications, for long polls and stream readers (no busy polling): the number of
  // commits so far, and a wait until it exceeds `seen` or `timeout` passes. Returns the count.
  std::uint64_t commit_count() const;
  std::uint64_t wait_for_commit(std::uint64_t seen, std::chrono::milliseconds timeout) const;

  const std::string& path() const;

  // Counters since open, for tests and benchmarks: `writes` calls to write() completed,
  // `groups` transactions committed (or failed) by the writer; writes/groups is the batching.
  // `deferred_writes` and `deferred_groups` count those of them committed without fsync.
  struct Stats {
    std::uint64_t writes = 0;
    std::uint64_t groups = 0;
    std::uint64_t deferred_writes = 0;
    std::uint64_t deferred_groups = 0;
  };
  Stats stats() const;

  // Schema version this build writes (stored in PRAGMA user_version).
  static constexpr int kSchemaVersion = 4;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  static Result<std::unique_ptr<Database>> open_read_only(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartflow::embedded
