// SPDX-License-Identifier: Apache-2.0
#pragma once

// WalSync: makes the writer's commits durable after they are visible, on a thread of its own.
//
// The writer's COMMIT appends the group's frames to `<db>-wal` (one pwrite through the gathering
// VFS, no fsync: wal_gather_vfs.h) and makes them visible. Durability then only needs those bytes on stable
// storage, which is what synchronous=FULL's fsync inside COMMIT did: here one fdatasync of the
// WAL, through a descriptor of our own, covers every frame written before it started, so every
// group whose COMMIT had returned by then. Why that is sound:
//   - The WAL file is never replaced while the writer's connection is open (SQLite deletes it
//     only when the last connection closes); the descriptor is still checked against the
//     path's current inode before every sync and reopened when they differ.
//   - A WAL restart (the writer rewinding to frame 0 after a complete checkpoint) overwrites only
//     frames that the checkpoint already synced: a checkpoint fsyncs the WAL before copying
//     frames and the database file after (checkpoint_fullfsync: a real sync, never gathered).
//   - The WAL header of a new WAL is synced by SQLite itself (with its directory) when written.
// A failed sync is sticky: after it, pages may have been dropped from the page cache, so no later
// sync can prove earlier commits durable; every waiter and every later request fails.
//
// Positions: the writer calls begin_commit() before COMMIT (readers may see the group from then
// on) and end_commit() after it returned. visible() is therefore an upper bound of what any read
// that has ended could have seen, and the sync thread only promises positions whose COMMIT had
// returned before its fdatasync began.
//
// Thread-safety: every method may be called from any thread; begin_commit/end_commit from one.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "model/result.h"

namespace cartflow::embedded {

class WalSync {
 public:
  // `wal_path` is the database's `<db>-wal`; `hook` replaces fdatasync(fd) when set (tests).
  WalSync(std::string wal_path, std::function<int(int fd)> hook);
  ~WalSync();  // stop()
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Syncs the WAL once on the calling thread, before start(): makes durable what the file already
  // holds (commits a killed process left unsynced, a migration's). No WAL file: nothing to do.
  model::Status sync_now();
  // Starts the sync thread.
  void start();
  // Runs the syncs still wanted, then ends the thread and calls the remaining callbacks with
  // false. After it, wait() and when_durable() answer at once (false when not durable).
  void stop();

  // Writer thread: the next position, visible to readers from now on; then, once COMMIT
  // returned (or failed), end_commit with `want_sync` when a member waits for durability.
  std::uint64_t begin_commit();
  void end_commit(std::uint64_t position, bool want_sync);

  // The last position readers could have seen / the last position known durable.
  std::uint64_t visible() const { return visible_.load(std::memory_order_seq_cst); }
  std::uint64_t durable() const { return durable_.load(std::memory_order_acquire); }

  // Blocks until `position` is durable. kUnavailable "database sync failed: ..." after a failed
  // sync, "database is closing" when stopped first.
  model::Status wait(std::uint64_t position);
  // Calls `ready(true)` once `position` is durable, at once on this thread when it already is;
  // otherwise on the sync thread. `ready(false)` after a failed sync or stop().
  void when_durable(std::uint64_t position, std::function<void(bool)> ready);
  // The sticky failure, if a sync failed.
  model::Status failure() const;

  std::uint64_t syncs() const { return syncs_.load(); }

 private:
  void run();
  bool work_ready() const;          // REQUIRES(mutex_)
  model::Status sync_wal();         // sync thread only
  void request(std::uint64_t position);  // REQUIRES(mutex_)

  const std::string wal_path_;
  const std::function<int(int)> hook_;
  int wal_fd_ = -1;  // sync thread only

  std::atomic<std::uint64_t> visible_{0};    // writer: begin_commit
  std::atomic<std::uint64_t> committed_{0};  // writer: end_commit
  std::atomic<std::uint64_t> durable_{0};    // written under mutex_
  std::atomic<std::uint64_t> syncs_{0};

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;     // sync thread: a sync is wanted, or stopping
  std::condition_variable durable_cv_;  // wait(): durable_ advanced, failed or stopped
  std::uint64_t wanted_ = 0;            // GUARDED_BY(mutex_): highest position someone waits for
  bool failed_ = false;                 // GUARDED_BY(mutex_)
  std::string failure_;                 // GUARDED_BY(mutex_)
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  bool stopped_ = false;                // GUARDED_BY(mutex_): the thread has ended
  std::multimap<std::uint64_t, std::function<void(bool)>> callbacks_;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace cartflow::embedded
