// SPDX-License-Identifier: Apache-2.0
// The writer's WAL-gathering VFS: every COMMIT's bytes are in the WAL file when COMMIT returns
// (another connection sees them, a process that dies right after keeps them), large rows whose
// runs exceed one write included.

#include "embedded/wal_gather_vfs.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "embedded/sqlite.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

constexpr const char* kWriterPragmas =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA checkpoint_fullfsync = ON; "
    "PRAGMA wal_autocheckpoint = 0; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB);";

std::unique_ptr<Connection> open_writer(const std::string& path) {
  auto writer = Connection::open(path, false, wal_gather_vfs_name());
  EXPECT_TRUE(writer.ok());
  EXPECT_TRUE((*writer)->exec(kWriterPragmas).ok());
  return std::move(*writer);
}

void insert(Connection& writer, std::int64_t id, std::size_t bytes) {
  auto stmt = writer.prepare("INSERT INTO t (id, v) VALUES (?, ?)");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE((*stmt)->bind(1, id).bind_blob(2, std::string(bytes, 'x')).run().ok());
}

std::int64_t count_rows(Connection& reader) {
  auto stmt = reader.prepare("SELECT count(*), coalesce(sum(length(v)), 0) FROM t");
  EXPECT_TRUE(stmt.ok());
  auto row = (*stmt)->step();
  EXPECT_TRUE(row.ok() && *row);
  return (*stmt)->column_int(0);
}

TEST(WalGatherVfsTest, EveryCommitIsInTheFileWhenCommitReturns) {
  support::TempDir dir;
  std::string path = dir.file("gather.db");
  auto writer = open_writer(path);
  auto reader = Connection::open(path, true);
  ASSERT_TRUE(reader.ok());
  std::uintmax_t wal_size = 0;
  for (int i = 1; i <= 6; ++i) {
    // Small rows and rows of 300 KB (more than one write's 128 KiB).
    insert(*writer, i, i % 2 == 0 ? 300'000 : 100);
    EXPECT_EQ(count_rows(**reader), i);
    std::uintmax_t now = std::filesystem::file_size(path + "-wal");
    EXPECT_GT(now, wal_size) << "the commit's frames are in the file";
    wal_size = now;
  }
}

TEST(WalGatherVfsTest, ATransactionOfManyPagesCommitsWhole) {
  support::TempDir dir;
  std::string path = dir.file("gather.db");
  auto writer = open_writer(path);
  ASSERT_TRUE(writer->exec("BEGIN IMMEDIATE").ok());
  for (int i = 1; i <= 200; ++i) insert(*writer, i, 20'000);  // ~4 MB: more than one run
  ASSERT_TRUE(writer->exec("COMMIT").ok());
  auto reader = Connection::open(path, true);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(count_rows(**reader), 200);
}

TEST(WalGatherVfsTest, AProcessThatDiesAfterCommitKeepsEveryCommit) {
  support::TempDir dir;
  std::string path = dir.file("gather.db");
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto writer = open_writer(path);
    for (int i = 1; i <= 50; ++i) insert(*writer, i, i % 10 == 0 ? 200'000 : 500);
    ::_exit(0);  // no close: nothing is written out after the last COMMIT returned
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  auto reader = Connection::open(path, true);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(count_rows(**reader), 50);
}

}  // namespace
}  // namespace cartflow::embedded
