// SPDX-License-Identifier: Apache-2.0
#include "embedded/database.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "embedded/schema.h"
#include "embedded/wal_gather_vfs.h"
#include "embedded/wal_sync.h"
#include "util/thread_name.h"

namespace cartflow::embedded {

namespace {

// A caller's unit of work waiting for the writer thread.
struct Pending {
  std::function<Status(Connection&)> work;
  bool wants_sync = true;  // a durable write (of a durable database)
  Status result;
  std::uint64_t position = 0;  // the group's position (0: nothing was read or written)
  bool done = false;
};

// The calling thread's RequestScope (ports::Durability): which database it is for and the
// highest position its answer depends on so far.
struct ThreadScope {
  const void* owner = nullptr;
  std::uint64_t ticket = 0;
};
thread_local ThreadScope t_scope;

// Largest group: bounds the latency of the first caller of a group under a flood of writes.
constexpr std::size_t kMaxGroup = 1024;

}  // namespace

struct Database::Impl {
  DatabaseOptions options;
  int lock_fd = -1;
  std::unique_ptr<Connection> writer;

  std::mutex queue_mutex;
  std::condition_variable queue_cv;  // writer: work arrived or stopping
  std::condition_variable done_cv;   // callers: a group finished
  std::deque<Pending*> queue;        // GUARDED_BY(queue_mutex)
  bool stopping = false;             // GUARDED_BY(queue_mutex)
  std::thread writer_thread;

  std::mutex pool_mutex;
  std::condition_variable pool_cv;
  std::vector<std::unique_ptr<Connection>> pool;  // GUARDED_BY(pool_mutex): idle readers

  std::mutex listeners_mutex;
  std::vector<std::function<void()>> commit_listeners;  // GUARDED_BY(listeners_mutex)

  mutable std::mutex commit_mutex;
  mutable std::condition_variable commit_cv;
  std::uint64_t commits = 0;  // GUARDED_BY(commit_mutex)

  std::atomic<std::uint64_t> writes{0};
  std::atomic<std::uint64_t> groups{0};
  std::atomic<std::uint64_t> deferred_writes{0};
  std::atomic<std::uint64_t> deferred_groups{0};
  std::unique_ptr<WalSync> sync;  // null when read-only

  bool in_scope() const { return t_scope.owner == this; }
  bool tracks_durability() const { return options.durable && sync != nullptr; }

  ~Impl() {
    {
      std::lock_guard lock(queue_mutex);
      stopping = true;
    }
    queue_cv.notify_all();
    if (writer_thread.joinable()) writer_thread.join();
    if (sync) sync->stop();  // syncs what queued writes still wait for
    pool.clear();
    if (writer) {
      // Leave a small WAL behind: fold it into the main file while we hold the lock.
      (void)writer->exec("PRAGMA wal_checkpoint(TRUNCATE)");
      writer.reset();
    }
    if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
  }

  void run_writer() {
    std::vector<Pending*> group;
    for (;;) {
      {
        std::unique_lock lock(queue_mutex);
        queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, all queued work done
        while (!queue.empty() && group.size() < kMaxGroup) {
          group.push_back(queue.front());
          queue.pop_front();
        }
      }
      finish_group(group);
    }
  }

  // Commits `group` without syncing, asks the sync thread for a sync when a member is durable,
  // counts the group and wakes its callers (who then wait for the sync themselves, or not).
  void finish_group(std::vector<Pending*>& group) {
    std::size_t deferred = 0;
    for (Pending* p : group) deferred += p->wants_sync ? 0 : 1;
    commit_group(group, deferred < group.size());
    writes.fetch_add(group.size());
    groups.fetch_add(1);
    deferred_writes.fetch_add(deferred);
    if (deferred == group.size()) deferred_groups.fetch_add(1);
    {
      std::lock_guard lock(queue_mutex);
      for (Pending* p : group) p->done = true;
    }
    done_cv.notify_all();
    group.clear();
  }

  // Transaction control through cached prepared statements: no SQL parsing per write.
  Status control(std::string_view sql) {
    auto stmt = writer->prepare(sql);
    if (!stmt.ok()) return std::move(stmt).error();
    return (*stmt)->run();
  }

  void commit_group(std::vector<Pending*>& group, bool want_sync) {
    if (Status begin = control("BEGIN IMMEDIATE"); !begin.ok()) {
      for (Pending* p : group) p->result = Error::unavailable("begin failed: " + begin.error().message);
      return;
    }
    bool any_ok = false;
    for (Pending* p : group) {
      if (Status s = control("SAVEPOINT w"); !s.ok()) {
        p->result = std::move(s);
        continue;
      }
      try {
        p->result = p->work(*writer);
      } catch (const std::exception& e) {
        p->result = Error::internal(std::string("write failed: ") + e.what());
      } catch (...) {
        p->result = Error::internal("write failed: unknown exception");
      }
      if (!p->result.ok()) (void)control("ROLLBACK TO w");
      (void)control("RELEASE w");
      any_ok = any_ok || p->result.ok();
    }
    // Every member's answer rests on this group's state: its position covers them all.
    const std::uint64_t position = sync->begin_commit();
    for (Pending* p : group) p->position = position;
    Status commit = control("COMMIT");
    if (!commit.ok()) (void)control("ROLLBACK");
    {
      std::lock_guard lock(listeners_mutex);
      for (const auto& listener : commit_listeners) listener();
    }
    sync->end_commit(position, want_sync && options.durable);
    if (!commit.ok()) {
      for (Pending* p : group) {
        p->result = Error::unavailable("commit failed: " + commit.error().message);
      }
      return;
    }
    if (any_ok) {
      {
        std::lock_guard lock(commit_mutex);
        ++commits;
      }
      commit_cv.notify_all();
    }
  }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const std::string& path = options.path;
  if (options.read_only) return open_read_only(std::move(impl));

  // Single writer across processes: an exclusive flock on a side file, held for our lifetime
  // and released by the kernel when the process dies (kill -9 included).
  std::string lock_path = path + ".lock";
  impl->lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (impl->lock_fd < 0) {
    return Error::unavailable("cannot open lock file " + lock_path + ": " + std::strerror(errno));
  }
  if (::flock(impl->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Error::unavailable("database " + path + " is in use by another process");
    }
    return Error::unavailable("cannot lock " + lock_path + ": " + std::strerror(errno));
  }

  // The writer's WAL writes are gathered into one write per commit (wal_gather_vfs.h).
  auto writer = Connection::open(path, false, wal_gather_vfs_name());
  if (!writer.ok()) return std::move(writer).error();
  impl->writer = std::move(*writer);
  // A larger page cache (64 MiB) spares the writer most pread() calls; checkpoints every 4000
  // pages (16 MiB of WAL) write a page changed by many commits once, not once per 1000 pages.
  // synchronous=FULL with checkpoint_fullfsync: COMMIT's sync of the WAL is SQLITE_SYNC_NORMAL,
  // which the gathering VFS turns into the one write of the group, with no fsync; checkpoints
  // and a new WAL's header still sync. WalSync syncs the WAL for the durable writes (wal_sync.h
  // says why that is what the commit's own fsync did).
  // temp_store=MEMORY: the statement journals of savepoints (transact_write, conditional
  // writes) stay in memory instead of temporary files written on every write.
  std::string pragmas =
      "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA cache_size = -65536; "
      "PRAGMA wal_autocheckpoint = 4000; PRAGMA synchronous = FULL; "
      "PRAGMA checkpoint_fullfsync = ON; PRAGMA temp_store = MEMORY;";
  if (auto s = impl->writer->exec(pragmas); !s.ok()) return std::move(s).error();
  if (auto s = migrate(*impl->writer, path); !s.ok()) return std::move(s).error();
  impl->sync = std::make_unique<WalSync>(path + "-wal", options.sync_hook);
  if (options.durable) {
    // Nothing before this point is known durable: the migration's commits, and commits a killed
    // process left in the WAL unsynced (readers see them from now on, at position 0). A sync of
    // the WAL, not a checkpoint: that would need free space to copy pages into the file.
    if (auto s = impl->sync->sync_now(); !s.ok()) return std::move(s).error();
  }

  int readers = options.read_connections > 0 ? options.read_connections : 1;
  for (int i = 0; i < readers; ++i) {
    auto reader = Connection::open(path, true);
    if (!reader.ok()) return std::move(reader).error();
    if (auto s = (*reader)->exec("PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;"); !s.ok()) {
      return std::move(s).error();
    }
    impl->pool.push_back(std::move(*reader));
  }

  impl->sync->start();
  Impl* raw = impl.get();
  impl->writer_thread = std::thread([raw] {
    util::name_this_thread("cf-db-writer");
    raw->run_writer();
  });
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Result<std::unique_ptr<Database>> Database::open_read_only(std::unique_ptr<Impl> impl) {
  const std::string& path = impl->options.path;
  if (::access(path.c_str(), R_OK) != 0) {
    return Error::unavailable("cannot read database " + path + ": " + std::strerror(errno));
  }
  int readers = impl->options.read_connections > 0 ? impl->options.read_connections : 1;
  for (int i = 0; i < readers; ++i) {
    auto reader = Connection::open(path, true);
    if (!reader.ok()) return std::move(reader).error();
    if (auto s = (*reader)->exec("PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;"); !s.ok()) {
      return std::move(s).error();
    }
    impl->pool.push_back(std::move(*reader));
  }
  auto version = schema_version(*impl->pool.front());
  if (!version.ok()) return std::move(version).error();
  if (*version != kSchemaVersion) {
    return Error::unavailable("database " + path + " has schema version " +
                              std::to_string(*version) + ", this cartflow reads version " +
                              std::to_string(kSchemaVersion) + " (open it for writing once)");
  }
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

Status Database::write(std::function<Status(Connection&)> work, Sync sync) {
  if (!impl_->writer) {
    return Error::unavailable("database " + impl_->options.path + " is open read-only");
  }
  Impl& impl = *impl_;
  if (auto failed = impl.sync->failure(); !failed.ok()) return failed;
  const bool durable = sync == Sync::kDurable && impl.options.durable;
  Pending pending{std::move(work), durable, {}, 0, false};
  {
    std::unique_lock lock(impl.queue_mutex);
    if (impl.stopping) return Error::unavailable("database " + impl.options.path + " is closing");
    impl.queue.push_back(&pending);
    impl.queue_cv.notify_one();
    impl.done_cv.wait(lock, [&] { return pending.done; });
  }
  if (!durable || pending.position == 0) return std::move(pending.result);
  if (impl.in_scope()) {
    t_scope.ticket = std::max(t_scope.ticket, pending.position);
    return std::move(pending.result);
  }
  if (Status synced = impl.sync->wait(pending.position); !synced.ok()) return synced;
  return std::move(pending.result);
}

Status Database::read(const std::function<Status(Connection&)>& read, Sync sync) {
  std::unique_ptr<Connection> connection;
  {
    std::unique_lock lock(impl_->pool_mutex);
    impl_->pool_cv.wait(lock, [&] { return !impl_->pool.empty(); });
    connection = std::move(impl_->pool.back());
    impl_->pool.pop_back();
  }
  auto control = [&](std::string_view sql) -> Status {
    auto stmt = connection->prepare(sql);
    if (!stmt.ok()) return std::move(stmt).error();
    return (*stmt)->run();
  };
  Status result = control("BEGIN");
  if (result.ok()) {
    try {
      result = read(*connection);
    } catch (const std::exception& e) {
      result = Error::internal(std::string("read failed: ") + e.what());
    }
    // A read-only transaction: COMMIT only ends the snapshot.
    (void)control(result.ok() ? "COMMIT" : "ROLLBACK");
  }
  {
    std::lock_guard lock(impl_->pool_mutex);
    impl_->pool.push_back(std::move(connection));
  }
  impl_->pool_cv.notify_one();
  if (!impl_->tracks_durability()) return result;
  // Read after the snapshot ended: an upper bound of every commit it could have seen.
  if (Status covered = cover(impl_->sync->visible(), sync); !covered.ok()) return covered;
  return result;
}

Status Database::cover(std::uint64_t position, Sync sync) {
  if (!impl_->tracks_durability() || position <= impl_->sync->durable()) return {};
  if (impl_->in_scope()) {
    t_scope.ticket = std::max(t_scope.ticket, position);
  } else if (sync == Sync::kDurable) {
    return impl_->sync->wait(position);
  }
  return {};
}

std::uint64_t Database::visible_position() const {
  return impl_->sync ? impl_->sync->visible() : 0;
}

void Database::add_commit_listener(std::function<void()> listener) {
  std::lock_guard lock(impl_->listeners_mutex);
  impl_->commit_listeners.push_back(std::move(listener));
}

void Database::begin_scope() { t_scope = {impl_.get(), 0}; }

Database::Ticket Database::end_scope() {
  if (!impl_->in_scope()) return 0;
  const Ticket ticket = t_scope.ticket;
  t_scope = {};
  if (!impl_->tracks_durability() || ticket <= impl_->sync->durable()) return 0;
  return ticket;
}

void Database::when_durable(Ticket ticket, std::function<void(bool durable)> ready) {
  if (ticket == 0 || !impl_->tracks_durability()) {
    ready(true);
    return;
  }
  impl_->sync->when_durable(ticket, std::move(ready));
}

std::uint64_t Database::commit_count() const {
  std::lock_guard lock(impl_->commit_mutex);
  return impl_->commits;
}

std::uint64_t Database::wait_for_commit(std::uint64_t seen,
                                        std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->commit_mutex);
  impl_->commit_cv.wait_for(lock, timeout, [&] { return impl_->commits > seen; });
  return impl_->commits;
}

const std::string& Database::path() const { return impl_->options.path; }

bool Database::writable() const { return impl_->writer != nullptr; }

Database::Stats Database::stats() const {
  return {impl_->writes.load(), impl_->groups.load(), impl_->deferred_writes.load(),
          impl_->deferred_groups.load(), impl_->sync ? impl_->sync->syncs() : 0};
}

}  // namespace cartflow::embedded
