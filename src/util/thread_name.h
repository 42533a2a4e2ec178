// SPDX-License-Identifier: Apache-2.0
#pragma once

// Thread names, so that top, perf and /proc/PID/task/*/comm show what each thread does. Linux
// keeps at most 15 characters (a longer name is cut), and a new thread starts with the name of
// the thread that created it.

#include <array>

namespace cartflow::util {

// Names the calling thread.
void name_this_thread(const char* name);

// Names the calling thread `name` for its lifetime and gives it back its previous name after:
// the threads a library creates meanwhile (asio::thread_pool's) inherit `name`.
class ThreadNameScope {
 public:
  explicit ThreadNameScope(const char* name);
  ~ThreadNameScope();
  ThreadNameScope(const ThreadNameScope&) = delete;
  ThreadNameScope& operator=(const ThreadNameScope&) = delete;

 private:
  std::array<char, 16> previous_{};
};

}  // namespace cartflow::util
