// SPDX-License-Identifier: Apache-2.0
#pragma once

// A fresh database file with one table "orders" (PK/SK, GSI "by_status" on status/created,
// GSI "by_user" hash-only on user), stream NEW_AND_OLD_IMAGES, and a manual clock.

#include <gtest/gtest.h>

#include <memory>

#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_table.h"
#include "ports/clock.h"
#include "test_util.h"

namespace cartflow::embedded::testing {

using model::AttributeValue;
using model::Cond;
using model::Item;
using model::Number;
using model::path;

inline AttributeValue num(std::int64_t n) { return AttributeValue::integer(n); }
inline AttributeValue num(const char* text) { return AttributeValue(*Number::parse(text)); }

inline ports::TableDescription orders_description(
    ports::StreamViewType view = ports::StreamViewType::kNewAndOldImages) {
  ports::TableDescription d;
  d.name = "orders";
  d.keys = {"PK", std::string("SK")};
  d.indexes.push_back({"by_status", {"status", std::string("created")}});
  d.indexes.push_back({"by_user", {"user", std::nullopt}});
  d.stream_view = view;
  return d;
}

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen(ports::StreamViewType view = ports::StreamViewType::kNewAndOldImages) {
    stream_.reset();
    table_.reset();
    db_.reset();
    auto db = Database::open({dir_.file("t.db"), true, 2});
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    table_ = std::make_unique<SqliteTable>(*db_, orders_description(view), clock_);
    stream_ = std::make_unique<SqliteChangeStream>(*db_, "orders", clock_);
  }

  static Item key(const std::string& pk, const std::string& sk) { return {{"PK", pk}, {"SK", sk}}; }

  void put(Item item) {
    auto r = table_->put({std::move(item), std::nullopt, ports::ReturnValues::kNone});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  std::optional<Item> get(const std::string& pk, const std::string& sk) {
    auto r = table_->get({key(pk, sk), true, std::nullopt});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::nullopt;
  }

  std::vector<ports::StreamRecord> all_records() {
    auto r = stream_->read({}, 10000, std::chrono::milliseconds(0));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->records : std::vector<ports::StreamRecord>{};
  }

  TempDir dir_;
  ports::ManualClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteTable> table_;
  std::unique_ptr<SqliteChangeStream> stream_;
};

}  // namespace cartflow::embedded::testing
