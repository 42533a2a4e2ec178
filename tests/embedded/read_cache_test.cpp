// SPDX-License-Identifier: Apache-2.0
// The read cache of SqliteTable (embedded/read_cache.h): point reads of a cached partition are
// answered from memory, and every write to that partition that was acknowledged is seen by the
// reads that follow it, whether it came by put, update, delete, batch or transaction.
#include "embedded/read_cache.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "model/expression_parser.h"
#include "ports/clock.h"
#include "support/temp_dir.h"

namespace cartflow::embedded {
namespace {

using model::AttributeValue;
using model::Item;

constexpr std::array<std::string_view, 2> kDrop = {"PK", "SK"};

ports::TableDescription catalog_description() {
  ports::TableDescription d;
  d.name = "catalog";
  d.keys = {"PK", std::string("SK")};
  d.stream_view = ports::StreamViewType::kNewAndOldImages;
  return d;
}

class ReadCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::open({dir_.file("c.db"), true, 2});
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    table_ = std::make_unique<SqliteTable>(*db_, catalog_description(), clock_,
                                           SqliteTableOptions{.cached_partitions = {"PRODUCT"}});
  }

  void put(const std::string& pk, const std::string& sk, std::int64_t price) {
    auto r = table_->put({Item{{"PK", pk}, {"SK", sk}, {"price", AttributeValue::integer(price)}},
                          std::nullopt, ports::ReturnValues::kNone});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // get_plain's answer ("" when there is no item).
  std::string read(const std::string& pk, const std::string& sk) {
    std::string out;
    auto found = table_->get_plain({Item{{"PK", pk}, {"SK", sk}}, true, std::nullopt}, kDrop, out);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() && *found ? out : "";
  }

  support::TempDir dir_;
  ports::ManualClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteTable> table_;
};

TEST(ReadCache, RefusesAnAnswerReadBeforeACommitThatChangedItsPartition) {
  ReadCache cache({"P"});
  const std::uint64_t before = cache.version();
  cache.note_change("P");
  cache.after_commit();  // the commit lands while the answer was being read
  cache.store("k", before, {true, "{\"old\":1}", 1});
  EXPECT_FALSE(cache.lookup("k").has_value());
  cache.store("k", cache.version(), {true, "{\"new\":1}", 2});
  auto hit = cache.lookup("k");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->json, "{\"new\":1}");
  EXPECT_TRUE(hit->found);
  EXPECT_EQ(hit->position, 2u);
  cache.note_change("other");  // not a cached partition: the answers stay
  cache.after_commit();
  EXPECT_TRUE(cache.lookup("k").has_value());
}

TEST_F(ReadCacheTest, EveryKindOfWriteIsSeenByTheNextRead) {
  put("PRODUCT", "p1", 100);
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":100})");
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":100})");  // from the cache
  put("PRODUCT", "p1", 101);
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":101})");

  auto updated = table_->update({Item{{"PK", "PRODUCT"}, {"SK", "p1"}},
                                 *model::parse_update("SET price = :p", {}, {{":p", AttributeValue::integer(102)}}),
                                 std::nullopt, ports::ReturnValues::kNone});
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":102})");

  ports::PutRequest in_transaction{
      Item{{"PK", "PRODUCT"}, {"SK", "p1"}, {"price", AttributeValue::integer(103)}}, std::nullopt,
      ports::ReturnValues::kNone};
  ASSERT_TRUE(table_->transact_write({ports::TransactAction{in_transaction}}, std::nullopt).ok());
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":103})");

  auto batch = table_->batch_write({ports::WriteRequest{ports::PutRequest{
      Item{{"PK", "PRODUCT"}, {"SK", "p1"}, {"price", AttributeValue::integer(104)}},
      std::nullopt, ports::ReturnValues::kNone}}});
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":104})");

  auto removed = table_->remove({Item{{"PK", "PRODUCT"}, {"SK", "p1"}}, std::nullopt,
                                 ports::ReturnValues::kNone});
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(read("PRODUCT", "p1"), "");
  put("PRODUCT", "p1", 105);  // an absent item's answer was cached too, and goes as well
  EXPECT_EQ(read("PRODUCT", "p1"), R"({"price":105})");
}

// Query pages of a cached partition: the same text, counts and next-page keys as the store's
// own, and a write is seen by the next page read.
TEST_F(ReadCacheTest, QueryPagesComeFromMemoryUntilAWriteChangesThePartition) {
  for (int i = 0; i < 5; ++i) put("PRODUCT", "p" + std::to_string(i), i);
  ports::QueryRequest q;
  q.key_condition = model::KeyCondition::hash("PK", AttributeValue("PRODUCT"));
  q.limit = 3;
  auto page = [&](std::string& out) {
    auto r = table_->query_plain(q, kDrop, out);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : ports::PlainQueryResult{};
  };
  for (int round = 0; round < 2; ++round) {  // the second round is answered from memory
    std::string out = "[";
    auto first = page(out);
    EXPECT_EQ(first.count, 3u);
    ASSERT_TRUE(first.last_evaluated_key.has_value());
    q.exclusive_start_key = first.last_evaluated_key;
    auto second = page(out);
    q.exclusive_start_key.reset();
    EXPECT_EQ(second.count, 2u);
    EXPECT_FALSE(second.last_evaluated_key.has_value());
    out += ']';
    EXPECT_EQ(out, R"([{"price":0},{"price":1},{"price":2},{"price":3},{"price":4}])") << round;
  }
  put("PRODUCT", "p1", 11);
  std::string out = "[";
  page(out);
  EXPECT_EQ(out, R"([{"price":0},{"price":11},{"price":2})");
}

TEST_F(ReadCacheTest, OtherPartitionsAreReadFromTheStore) {
  put("USER#u", "c1", 1);
  EXPECT_EQ(read("USER#u", "c1"), R"({"price":1})");
  put("USER#u", "c1", 2);
  EXPECT_EQ(read("USER#u", "c1"), R"({"price":2})");
}

// Readers race a writer: once a put has returned, no later read may answer an older price.
TEST_F(ReadCacheTest, NoReadAnswersOlderThanTheLastAcknowledgedWrite) {
  put("PRODUCT", "p", 0);
  std::atomic<std::int64_t> acknowledged{0};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const std::int64_t floor = acknowledged.load();
        const std::string answer = read("PRODUCT", "p");
        const std::int64_t price = std::stoll(answer.substr(answer.find(':') + 1));
        if (price < floor) ++stale;
      }
    });
  }
  for (std::int64_t price = 1; price <= 300; ++price) {
    put("PRODUCT", "p", price);
    acknowledged.store(price);
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(stale.load(), 0);
}

}  // namespace
}  // namespace cartflow::embedded
