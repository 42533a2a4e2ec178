// SPDX-License-Identifier: Apache-2.0
// load_catalog: validates every entry before writing any, and loads idempotently.
#include <gtest/gtest.h>

#include "domain/sample_catalog.h"
#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "functions/api_table.h"
#include "functions/catalog.h"
#include "support/embedded_store.h"

namespace cartflow::functions {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store_.open(
        {.file = "c.db", .durable = true, .read_connections = 4, .table = table_description("T")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
  }
  std::size_t product_count() {
    ports::QueryRequest q{.key_condition = model::KeyCondition::hash("PK", "PRODUCT")};
    auto r = table_->query(q);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->items.size() : 0;
  }
  support::EmbeddedStore store_;
  std::unique_ptr<embedded::SqliteTable>& table_ = store_.table;
};

TEST_F(CatalogTest, LoadsTheSampleTwiceWithTheSameResult) {
  auto first = load_catalog(*table_, domain::sample_catalog_json());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, 20u);
  EXPECT_EQ(product_count(), 20u);
  auto second = load_catalog(*table_, domain::sample_catalog_json());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(product_count(), 20u);
}

TEST_F(CatalogTest, ABadEntryWritesNothingAndIsNamed) {
  auto r = load_catalog(*table_, R"([{"productId":"a1","name":"A","price":100},
                                     {"productId":"a2","name":"B","price":-5}])");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("products[1]"), std::string::npos) << r.error().message;
  EXPECT_EQ(product_count(), 0u);
}

TEST_F(CatalogTest, RejectsWhatIsNotAnArrayOfObjects) {
  EXPECT_FALSE(load_catalog(*table_, "{}").ok());
  EXPECT_FALSE(load_catalog(*table_, "[1]").ok());
  EXPECT_FALSE(load_catalog(*table_, "[").ok());
  EXPECT_EQ(product_count(), 0u);
}

}  // namespace
}  // namespace cartflow::functions
