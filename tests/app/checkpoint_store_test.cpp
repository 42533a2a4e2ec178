// SPDX-License-Identifier: Apache-2.0
// Stream mapping checkpoints in the embedded database survive a reopen.
#include <gtest/gtest.h>

#include "embedded/database.h"
#include "platform/sqlite_checkpoint_store.h"
#include "support/temp_dir.h"

namespace cartflow::platform {
namespace {

TEST(SqliteCheckpointStore, LoadsNothingBeforeTheFirstSave) {
  support::TempDir dir;
  auto db = embedded::Database::open({.path = dir.file("c.db")});
  ASSERT_TRUE(db.ok()) << db.error().message;
  ports::ManualClock clock;
  SqliteCheckpointStore store(**db, clock);
  auto loaded = store.load("OrderStream");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
}

TEST(SqliteCheckpointStore, LastSaveSurvivesReopenPerMapping) {
  support::TempDir dir;
  const std::string path = dir.file("c.db");
  ports::ManualClock clock;
  {
    auto db = embedded::Database::open({.path = path});
    ASSERT_TRUE(db.ok()) << db.error().message;
    SqliteCheckpointStore store(**db, clock);
    ASSERT_TRUE(store.save("OrderStream", {"000000000000000000005"}).ok());
    ASSERT_TRUE(store.save("OrderStream", {"000000000000000000009"}).ok());
    ASSERT_TRUE(store.save("Other", {"1"}).ok());
  }
  auto db = embedded::Database::open({.path = path});
  ASSERT_TRUE(db.ok()) << db.error().message;
  SqliteCheckpointStore store(**db, clock);
  auto loaded = store.load("OrderStream");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->token, "000000000000000000009");
  auto other = store.load("Other");
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->token, "1");
}

}  // namespace
}  // namespace cartflow::platform

namespace cartflow::embedded {
namespace {

// `cartflow status`, `keys list` and `dlq list` read beside a running `cartflow serve`.
TEST(ReadOnlyDatabase, ReadsBesideTheWriterAndRefusesWrites) {
  support::TempDir dir;
  const std::string path = dir.file("c.db");
  ports::ManualClock clock;
  auto writer = Database::open({.path = path});
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  platform::SqliteCheckpointStore written(**writer, clock);
  ASSERT_TRUE(written.save("OrderStream", {"7"}).ok());

  EXPECT_FALSE(Database::open({.path = path}).ok()) << "a second writer must be refused";
  auto reader = Database::open({.path = path, .read_only = true});
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  platform::SqliteCheckpointStore read(**reader, clock);
  auto loaded = read.load("OrderStream");
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->token, "7");
  auto refused = read.save("OrderStream", {"8"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, model::ErrorCode::kUnavailable);
}

TEST(ReadOnlyDatabase, MissingFileIsAClearError) {
  auto reader = Database::open({.path = "/nonexistent/cartflow.db", .read_only = true});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().message.find("/nonexistent/cartflow.db"), std::string::npos);
}

}  // namespace
}  // namespace cartflow::embedded
