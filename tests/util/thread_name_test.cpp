// SPDX-License-Identifier: Apache-2.0
#include "util/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <thread>

namespace cartflow::util {
namespace {

std::string this_thread_name() {
  char name[16] = {};
  ::pthread_getname_np(::pthread_self(), name, sizeof name);
  return name;
}

TEST(ThreadName, NamesTheCallingThreadAndCutsALongNameToFifteenCharacters) {
  std::thread([] {
    name_this_thread("cf-test");
    EXPECT_EQ(this_thread_name(), "cf-test");
    name_this_thread("cf-a-name-longer-than-fifteen");
    EXPECT_EQ(this_thread_name(), std::string("cf-a-name-longer-than-fifteen").substr(0, 15));
  }).join();
}

TEST(ThreadName, AScopeNamesTheThreadsCreatedInItAndRestoresTheName) {
  std::thread([] {
    name_this_thread("cf-outer");
    std::string child;
    {
      ThreadNameScope scope("cf-pool");
      std::thread([&child] { child = this_thread_name(); }).join();
    }
    EXPECT_EQ(child, "cf-pool");
    EXPECT_EQ(this_thread_name(), "cf-outer");
  }).join();
}

}  // namespace
}  // namespace cartflow::util
