// SPDX-License-Identifier: Apache-2.0
#include "util/random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "util/hex.h"

namespace cartflow::util {
namespace {

// The form RFC 4122 gives a version 4 UUID: 8-4-4-4-12 lowercase hex, version nibble 4,
// variant nibble 8, 9, a or b.
void expect_uuid_v4(const std::string& id) {
  ASSERT_EQ(id.size(), 36u) << id;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(id[i], '-') << id;
    } else {
      EXPECT_TRUE(hex_digit(id[i]) >= 0 && !(id[i] >= 'A' && id[i] <= 'F')) << id;
    }
  }
  EXPECT_EQ(id[14], '4') << id;
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
}

TEST(Random, UuidsHaveTheVersion4FormAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string secure = uuid_v4();
    const std::string fast = fast_uuid_v4();
    expect_uuid_v4(secure);
    expect_uuid_v4(fast);
    EXPECT_TRUE(seen.insert(secure).second);
    EXPECT_TRUE(seen.insert(fast).second);
  }
}

TEST(Random, FastUuidsAreUniqueAcrossThreads) {
  std::mutex mutex;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 2000; ++i) mine.push_back(fast_uuid_v4());
      std::lock_guard lock(mutex);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 8000u);
}

TEST(Random, AForkedChildDrawsOtherUuidsThanItsParent) {
  (void)uuid_v4();  // the parent's pool now holds bytes drawn ahead
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = uuid_v4();
    const bool written = ::write(pipe_fds[1], id.data(), id.size()) == 36;
    ::_exit(written ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  const std::string parent_next = uuid_v4();
  char buf[36];
  ASSERT_EQ(::read(pipe_fds[0], buf, sizeof buf), 36);
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const std::string child_id(buf, sizeof buf);
  expect_uuid_v4(child_id);
  EXPECT_NE(child_id, parent_next);
}

TEST(Random, HexHasTwoCharactersAByte) {
  const std::string a = random_hex(16);
  ASSERT_EQ(a.size(), 32u);
  EXPECT_TRUE(hex_decode(a).has_value());
  EXPECT_NE(a, random_hex(16));
  EXPECT_EQ(random_hex(0), "");
}

TEST(Random, StringsDrawOnlyFromTheAlphabetAndCoverIt) {
  const std::string alphabet = "abc";
  const std::string s = random_string(alphabet, 3000);
  ASSERT_EQ(s.size(), 3000u);
  std::set<char> used(s.begin(), s.end());
  EXPECT_EQ(used, std::set<char>({'a', 'b', 'c'}));
  EXPECT_EQ(random_string(alphabet, 0), "");
}

TEST(Random, BytesFillTheWholeBuffer) {
  // 64 bytes all zero after a fill has probability 2^-512.
  unsigned char buf[64] = {};
  random_bytes(buf, sizeof buf);
  bool any = false;
  for (unsigned char b : buf) any = any || b != 0;
  EXPECT_TRUE(any);
}

}  // namespace
}  // namespace cartflow::util
