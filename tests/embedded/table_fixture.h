// SPDX-License-Identifier: Apache-2.0
#pragma once

// A fresh database file (support::EmbeddedStore) with one table "orders" (PK/SK, GSI "by_status"
// on status/created, GSI "by_user" hash-only on user), stream NEW_AND_OLD_IMAGES, and a manual
// clock.

#include <gtest/gtest.h>

#include <memory>

#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_table.h"
#include "ports/clock.h"
#include "support/embedded_store.h"

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

  // Closes the store and opens its file again: table "orders" with `view`, and its stream.
  void reopen(ports::StreamViewType view = ports::StreamViewType::kNewAndOldImages) {
    support::StoreOptions options;
    options.file = "t.db";
    options.durable = true;
    options.table = orders_description(view);
    options.stream = true;
    auto opened = store_.open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
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

  support::EmbeddedStore store_;
  // Short names for the parts of store_ the tests use.
  ports::ManualClock& clock_ = store_.clock;
  std::unique_ptr<Database>& db_ = store_.db;
  std::unique_ptr<SqliteTable>& table_ = store_.table;
  std::unique_ptr<SqliteChangeStream>& stream_ = store_.stream;
};

}  // namespace cartflow::embedded::testing
