// SPDX-License-Identifier: Apache-2.0
// Storage faults under the embedded store (Database + SqliteTable), on real filesystems: a 2 MiB
// tmpfs that fills up, and a read-only mount. Needs root (mount); skipped otherwise.
// What must hold: a full disk gives clear kUnavailable errors and no crash; once space is freed
// the store writes again and every acknowledged write is still there; a read-only filesystem
// gives a clear error at open.

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "functions/api_table.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

// A tmpfs of `size` mounted on a fresh folder; unmounted, then removed (by TempDir) at the end.
class TmpfsMount {
 public:
  explicit TmpfsMount(const std::string& size) {
    const std::string options = "size=" + size;
    mounted_ = !dir().empty() &&
               ::mount("tmpfs", dir().c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(dir().c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool remount_read_only() {
    return ::mount("tmpfs", dir().c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }
  const std::string& dir() const { return dir_.path(); }

 private:
  support::TempDir dir_{"cartflow-faults"};
  bool mounted_ = false;
};

model::Item cart_item(int i, std::size_t payload) {
  return model::Item{{"PK", std::string("USER#fault")},
                     {"SK", "PRODUCT#" + std::to_string(i)},
                     {"payload", std::string(payload, static_cast<char>('a' + i % 26))}};
}

model::Item key_of(int i) {
  return model::Item{{"PK", std::string("USER#fault")}, {"SK", "PRODUCT#" + std::to_string(i)}};
}

#define SKIP_UNLESS_ROOT()                                                   \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a tmpfs"

TEST(StorageFaults, FullFilesystemGivesUnavailableAndRecovers) {
  SKIP_UNLESS_ROOT();
  TmpfsMount fs("2m");
  if (!fs.mounted()) GTEST_SKIP() << "mount -t tmpfs is not permitted here";
  // A filler file takes half the space, so there is something to delete later.
  const std::string filler = fs.dir() + "/filler";
  {
    std::ofstream out(filler, std::ios::binary);
    out << std::string(1024 * 1024, 'f');
    ASSERT_TRUE(out.good());
  }
  auto db = Database::open({.path = fs.dir() + "/c.db"});
  ASSERT_TRUE(db.ok()) << db.error().message;
  SqliteTable table(**db, functions::table_description("EcommerceAppTable"));

  std::vector<int> acknowledged;
  int failures = 0;
  int i = 0;
  for (; i < 2000 && failures < 5; ++i) {
    auto put = table.put(ports::PutRequest{cart_item(i, 8 * 1024)});
    if (put.ok()) {
      acknowledged.push_back(i);
      continue;
    }
    ++failures;
    EXPECT_EQ(put.error().code, model::ErrorCode::kUnavailable) << put.error().message;
    EXPECT_FALSE(put.error().message.empty());
    std::cout << "full disk: " << put.error().message << "\n";
  }
  ASSERT_GT(failures, 0) << "the 2 MiB filesystem never filled up after " << i << " puts";
  ASSERT_FALSE(acknowledged.empty());
  // Reads still work while the disk is full.
  auto read = table.get(ports::GetRequest{key_of(acknowledged.back())});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_TRUE(read->has_value());

  std::filesystem::remove(filler);
  int recovered = 0;
  for (int j = 0; j < 20; ++j) {
    auto put = table.put(ports::PutRequest{cart_item(10'000 + j, 8 * 1024)});
    if (put.ok()) {
      ++recovered;
      acknowledged.push_back(10'000 + j);
    }
  }
  EXPECT_EQ(recovered, 20) << "the store did not recover once space was freed";
  for (int key : acknowledged) {
    auto got = table.get(ports::GetRequest{key_of(key)});
    ASSERT_TRUE(got.ok()) << got.error().message;
    ASSERT_TRUE(got->has_value()) << "acknowledged item " << key << " is missing";
    EXPECT_EQ(*(**got).at("payload").as_s(), *cart_item(key, 8 * 1024).at("payload").as_s());
  }
  std::cout << "full disk: " << acknowledged.size() << " acknowledged writes, " << failures
            << " refused, all acknowledged present after recovery\n";

  // And after a reopen (the writer's recovery path through the WAL).
  db->reset();
  auto reopened = Database::open({.path = fs.dir() + "/c.db"});
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  SqliteTable again(**reopened, functions::table_description("EcommerceAppTable"));
  for (int key : acknowledged) {
    auto got = again.get(ports::GetRequest{key_of(key)});
    ASSERT_TRUE(got.ok() && got->has_value()) << "item " << key << " lost at reopen";
  }
}

TEST(StorageFaults, ReadOnlyFilesystemFailsClearlyAtOpen) {
  SKIP_UNLESS_ROOT();
  TmpfsMount fs("2m");
  if (!fs.mounted()) GTEST_SKIP() << "mount -t tmpfs is not permitted here";
  const std::string path = fs.dir() + "/c.db";
  {
    auto db = Database::open({.path = path});
    ASSERT_TRUE(db.ok()) << db.error().message;
    SqliteTable table(**db, functions::table_description("EcommerceAppTable"));
    ASSERT_TRUE(table.put(ports::PutRequest{cart_item(1, 100)}).ok());
  }
  ASSERT_TRUE(fs.remount_read_only());

  auto existing = Database::open({.path = path});
  ASSERT_FALSE(existing.ok()) << "opened an existing database for writing on a read-only fs";
  EXPECT_EQ(existing.error().code, model::ErrorCode::kUnavailable);
  EXPECT_FALSE(existing.error().message.empty());
  std::cout << "read-only, existing file: " << existing.error().message << "\n";

  auto fresh = Database::open({.path = fs.dir() + "/new.db"});
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(fresh.error().code, model::ErrorCode::kUnavailable);
  EXPECT_FALSE(fresh.error().message.empty());
  std::cout << "read-only, new file: " << fresh.error().message << "\n";
}

}  // namespace
}  // namespace cartflow::embedded
