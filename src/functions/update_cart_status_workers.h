// SPDX-License-Identifier: Apache-2.0
#pragma once

// Workers: a small fixed pool that runs the independent updates of one batch concurrently.
// run(n, task) calls task(0..n-1), each exactly once, on the calling thread and up to
// `threads` helpers, and returns when all calls have returned. Several run() calls may be in
// progress at once (the handler is invoked from several threads); they share the helpers.
// Tasks must not throw. Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cartflow::functions {

class Workers {
 public:
  // threads == 0: every run() executes inline on its caller.
  explicit Workers(std::size_t threads);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void run(std::size_t n, const std::function<void(std::size_t)>& task);

 private:
  struct Job;
  void helper_loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> jobs_;  // GUARDED_BY(mutex_): jobs that may need help
  bool stopping_ = false;                  // GUARDED_BY(mutex_)
  std::vector<std::thread> threads_;
};

}  // namespace cartflow::functions
