// SPDX-License-Identifier: Apache-2.0
#include "functions/update_cart_status_workers.h"

#include <atomic>

namespace cartflow::functions {

struct Workers::Job {
  const std::function<void(std::size_t)>* task = nullptr;
  std::size_t n = 0;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable done_cv;
  std::size_t done = 0;  // GUARDED_BY(mutex)

  // Claims and runs tasks until none are left unclaimed.
  void work() {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      (*task)(i);
      std::lock_guard<std::mutex> lock(mutex);
      if (++done == n) done_cv.notify_all();
    }
  }
};

Workers::Workers(std::size_t threads) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { helper_loop(); });
}

Workers::~Workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void Workers::run(std::size_t n, const std::function<void(std::size_t)>& task) {
  if (n == 0) return;
  auto job = std::make_shared<Job>();
  job->task = &task;
  job->n = n;
  if (n > 1 && !threads_.empty()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(job);
    }
    // One helper per task beyond the caller's own, at most all of them.
    if (n - 1 >= threads_.size()) wake_.notify_all();
    else for (std::size_t i = 0; i < n - 1; ++i) wake_.notify_one();
  }
  job->work();
  std::unique_lock<std::mutex> lock(job->mutex);
  job->done_cv.wait(lock, [&] { return job->done == job->n; });
  // Helpers may still hold the job (it stays alive through their shared_ptr) but will claim
  // nothing more: every index is taken, so `task` is never called after this returns.
}

void Workers::helper_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Job> job = jobs_.front();
    if (job->next.load() >= job->n) {  // fully claimed: nobody needs help with it
      jobs_.pop_front();
      continue;
    }
    lock.unlock();
    job->work();
    lock.lock();
  }
}

}  // namespace cartflow::functions
