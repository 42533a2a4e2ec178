// SPDX-License-Identifier: Apache-2.0
#include "util/thread_name.h"

#include <pthread.h>

#include <cstring>

namespace cartflow::util {

void name_this_thread(const char* name) {
  char cut[16] = {};
  std::strncpy(cut, name, sizeof cut - 1);  // pthread_setname_np refuses more than 15
  ::pthread_setname_np(::pthread_self(), cut);
}

ThreadNameScope::ThreadNameScope(const char* name) {
  if (::pthread_getname_np(::pthread_self(), previous_.data(), previous_.size()) != 0) {
    previous_[0] = '\0';
  }
  name_this_thread(name);
}

ThreadNameScope::~ThreadNameScope() {
  if (previous_[0] != '\0') name_this_thread(previous_.data());
}

}  // namespace cartflow::util
