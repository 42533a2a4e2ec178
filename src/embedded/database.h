// SPDX-License-Identifier: Apache-2.0
#pragma once

// Database: one SQLite file holding the embedded table, its change stream, the queues and the
// platform's own state. One writer thread commits the work of concurrent writers together
// (group commit) without syncing; a sync thread makes the commits durable, one fdatasync of the
// WAL for every commit made since the previous one, while the writer already commits the next
// groups. Readers use a pool of read-only connections (WAL snapshots). A second process opening
// the same file for writing gets a clear error. Thread-safe.
//
// Positions: every group the writer commits gets the next position (1, 2, ...). A commit is
// visible to readers when its COMMIT returns and durable once a sync that started after that
// has succeeded. Durability (ports/durability.h) hands out positions as tickets.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "embedded/sqlite.h"
#include "model/result.h"
#include "ports/durability.h"

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
  // For tests (fault injection): replaces fdatasync(fd) of the WAL by the sync thread; returns 0
  // or an errno. May block (to hold commits visible but not durable). Empty: fdatasync.
  std::function<int(int fd)> sync_hook;
};

class Database : public ports::Durability {
 public:
  // Opens or creates the file, takes the single-writer lock, applies pragmas (WAL), creates or
  // migrates the schema. Fails with kUnavailable: "database <path> is in use by another process"
  // when another process holds it, or "database schema version N is newer than this cartflow
  // supports (M)" for a newer file, or sqlite's message (read-only or full filesystem).
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database() override;  // finishes queued writes and their sync, then closes

  // When write() returns. kDurable: once the group's commit is durable (synced) or, inside a
  // RequestScope of the calling thread (ports::Durability), once it is visible, the scope's
  // ticket then covering it. kDeferred: once the commit is visible to readers, without waiting
  // for a sync: it survives a crash of the process, and is on disk with the next sync (the WAL
  // keeps commits in order: a power loss can only drop a suffix of deferred commits). For
  // bookkeeping that at-least-once delivery redoes when lost (queue receive and delete, stream
  // checkpoints), never for data a client was told is stored. Without `durable` in the options
  // every write is deferred and nothing is synced but checkpoints.
  enum class Sync { kDurable, kDeferred };

  // Runs `work` on the writer thread inside the current group transaction, in a savepoint:
  // if `work` returns an error, only its own changes are rolled back and the error is returned.
  // Returns as `sync` says (see Sync). A failed COMMIT fails every member of the group with
  // kUnavailable; a failed sync fails every durable write waiting for it with kUnavailable
  // "database sync failed: ...", and every write after it (the file's durability is unknown).
  // A durable write whose work failed still waits for the state it read to be durable.
  // `work` must not block or call back into the Database.
  Status write(std::function<Status(Connection&)> work, Sync sync = Sync::kDurable);

  // Runs `read` on a read connection in one snapshot (BEGIN ... COMMIT around it). A read may see
  // commits that are not durable yet. Inside a scope, the scope's ticket then covers every commit
  // the read could have seen. Outside a scope, kDurable waits until they are durable before
  // returning (kUnavailable when the sync fails): an answer built on the read never rests on a
  // commit a power loss could still undo. kDeferred returns at once, for the store's own
  // consumers whose every effect is itself a later commit (stream readers, queue scheduling).
  Status read(const std::function<Status(Connection&)>& read, Sync sync = Sync::kDurable);

  // What read() does once its snapshot ended, for an answer built on commits up to `position`
  // without a read (ReadCache): inside a scope the scope's ticket covers `position`; outside,
  // kDurable waits until it is durable (kUnavailable when that sync failed).
  Status cover(std::uint64_t position, Sync sync = Sync::kDurable);
  // The position of the newest commit readers may see (0 when nothing is tracked).
  std::uint64_t visible_position() const;

  // Calls `listener` on the writer thread after each group's COMMIT (whether it succeeded or
  // not), before the group's callers are woken. `listener` must not block or call back into the
  // Database. Register before the first write that must be seen; thread-safe.
  void add_commit_listener(std::function<void()> listener);

  // ports::Durability. Without `durable` in the options (or read-only), end_scope() returns 0.
  void begin_scope() override;
  Ticket end_scope() override;
  void when_durable(Ticket ticket, std::function<void(bool durable)> ready) override;

  // Commit notifications, for long polls and stream readers (no busy polling): the number of
  // commits so far, and a wait until it exceeds `seen` or `timeout` passes. Returns the count.
  std::uint64_t commit_count() const;
  std::uint64_t wait_for_commit(std::uint64_t seen, std::chrono::milliseconds timeout) const;

  const std::string& path() const;
  // Whether this process writes the file (false: opened read_only; another process may write).
  bool writable() const;

  // Counters since open, for tests and benchmarks: `writes` calls to write() completed,
  // `groups` transactions committed (or failed) by the writer; writes/groups is the batching.
  // `deferred_writes` counts kDeferred writes, `deferred_groups` groups with no durable write;
  // `syncs` the fdatasync calls of the sync thread (checkpoints' own syncs are not counted).
  struct Stats {
    std::uint64_t writes = 0;
    std::uint64_t groups = 0;
    std::uint64_t deferred_writes = 0;
    std::uint64_t deferred_groups = 0;
    std::uint64_t syncs = 0;
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
