// SPDX-License-Identifier: Apache-2.0
#include "embedded/wal_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "util/thread_name.h"

namespace cartflow::embedded {

using model::Error;
using model::Status;

WalSync::WalSync(std::string wal_path, std::function<int(int fd)> hook)
    : wal_path_(std::move(wal_path)), hook_(std::move(hook)) {}

WalSync::~WalSync() {
  stop();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

Status WalSync::sync_now() {
  struct stat st {};
  if (::stat(wal_path_.c_str(), &st) != 0 && errno == ENOENT) return {};
  return sync_wal();
}

void WalSync::start() {
  thread_ = std::thread([this] {
    util::name_this_thread("cf-db-sync");
    run();
  });
}

void WalSync::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::multimap<std::uint64_t, std::function<void(bool)>> left;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    left.swap(callbacks_);
  }
  durable_cv_.notify_all();
  for (auto& [position, ready] : left) ready(false);
}

std::uint64_t WalSync::begin_commit() {
  std::uint64_t position = visible_.load(std::memory_order_relaxed) + 1;
  // seq_cst: ordered before the COMMIT's own writes to the WAL index, which is what makes the
  // group visible; a reader that saw the group and then loads visible_ gets >= position.
  visible_.store(position, std::memory_order_seq_cst);
  return position;
}

void WalSync::end_commit(std::uint64_t position, bool want_sync) {
  committed_.store(position, std::memory_order_seq_cst);
  std::lock_guard lock(mutex_);
  if (want_sync) request(position);
  // A reader's wanted position may have been waiting for this COMMIT to return.
  if (wanted_ > durable_.load()) work_cv_.notify_one();
}

void WalSync::request(std::uint64_t position) {
  if (position > wanted_) {
    wanted_ = position;
    work_cv_.notify_one();
  }
}

bool WalSync::work_ready() const {
  const std::uint64_t durable = durable_.load();
  return !failed_ && wanted_ > durable && committed_.load() > durable;
}

Status WalSync::wait(std::uint64_t position) {
  if (position <= durable()) return {};
  std::unique_lock lock(mutex_);
  request(position);
  durable_cv_.wait(lock, [&] { return durable_.load() >= position || failed_ || stopped_; });
  if (durable_.load() >= position) return {};
  if (failed_) return Error::unavailable("database sync failed: " + failure_);
  return Error::unavailable("database is closing");
}

void WalSync::when_durable(std::uint64_t position, std::function<void(bool)> ready) {
  bool answer = true;
  {
    std::lock_guard lock(mutex_);
    if (position > durable_.load()) {
      if (failed_ || stopped_) {
        answer = false;
      } else {
        callbacks_.emplace(position, std::move(ready));
        request(position);
        return;
      }
    }
  }
  ready(answer);
}

Status WalSync::failure() const {
  std::lock_guard lock(mutex_);
  if (failed_) return Error::unavailable("database sync failed: " + failure_);
  return {};
}

void WalSync::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || work_ready(); });
    if (!work_ready()) return;  // stopping, nothing left to sync
    lock.unlock();
    // Every group whose COMMIT returned before the fdatasync starts is covered by it.
    const std::uint64_t target = committed_.load(std::memory_order_seq_cst);
    Status synced = sync_wal();
    syncs_.fetch_add(1);
    std::vector<std::function<void(bool)>> ready;
    lock.lock();
    if (synced.ok()) {
      if (target > durable_.load()) durable_.store(target, std::memory_order_release);
      auto end = callbacks_.upper_bound(target);
      for (auto it = callbacks_.begin(); it != end; ++it) ready.push_back(std::move(it->second));
      callbacks_.erase(callbacks_.begin(), end);
    } else {
      failed_ = true;
      failure_ = synced.error().message;
      for (auto& [position, callback] : callbacks_) ready.push_back(std::move(callback));
      callbacks_.clear();
    }
    lock.unlock();
    durable_cv_.notify_all();
    for (auto& callback : ready) callback(synced.ok());
    lock.lock();
  }
}

Status WalSync::sync_wal() {
  struct stat current {};
  if (::stat(wal_path_.c_str(), &current) != 0) {
    return Error::unavailable("cannot stat " + wal_path_ + ": " + std::strerror(errno));
  }
  struct stat ours {};
  if (wal_fd_ < 0 || ::fstat(wal_fd_, &ours) != 0 || ours.st_ino != current.st_ino ||
      ours.st_dev != current.st_dev) {
    if (wal_fd_ >= 0) ::close(wal_fd_);
    // Read-only is enough: fdatasync flushes the file, whatever the descriptor's access mode.
    wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) {
      return Error::unavailable("cannot open " + wal_path_ + ": " + std::strerror(errno));
    }
  }
  int rc = 0;
  if (hook_) {
    rc = hook_(wal_fd_);
  } else if (::fdatasync(wal_fd_) != 0) {
    rc = errno;
  }
  if (rc != 0) return Error::unavailable("fdatasync " + wal_path_ + ": " + std::strerror(rc));
  return {};
}

}  // namespace cartflow::embedded
