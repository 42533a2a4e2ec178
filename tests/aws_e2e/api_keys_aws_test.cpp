// SPDX-License-Identifier: Apache-2.0
// TableApiKeyStore on DynamoDB Local (started here): two stores on one table stand for two
// `serve --backend aws` instances. A key created on one authenticates on the other, a
// revocation reaches the other within the refresh interval, the refresh on a miss is rate
// limited, and a quota counts the requests of both stores together, also under concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "aws/dynamodb_table.h"
#include "dynamodb_local.h"
#include "platform/table_api_keys.h"
#include "ports/clock.h"

namespace cartflow::platform {
namespace {

using aws::testing::DynamoDbLocalTest;

constexpr TableApiKeyStoreOptions kOptions{.refresh_interval = std::chrono::milliseconds(10'000),
                                           .miss_refresh_interval = std::chrono::milliseconds(1'000)};

class TableApiKeys : public DynamoDbLocalTest {
 protected:
  void SetUp() override {
    DynamoDbLocalTest::SetUp();
    if (HasFatalFailure()) return;
    const std::string name = "ApiKeys" + std::to_string(++tables_);
    ASSERT_TRUE(aws::create_table(client(), api_keys_table_description(name)).ok());
    auto table = aws::DynamoDbTable::open(client(), name);
    ASSERT_TRUE(table.ok()) << table.error().message;
    table_ = std::move(table.value());
    first_ = open_store();
    second_ = open_store();
  }

  std::unique_ptr<TableApiKeyStore> open_store() {
    auto store = TableApiKeyStore::open(*table_, clock_, kOptions);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  static inline int tables_ = 0;
  ports::ManualClock clock_;
  std::unique_ptr<aws::DynamoDbTable> table_;
  std::unique_ptr<TableApiKeyStore> first_;
  std::unique_ptr<TableApiKeyStore> second_;
};

TEST_F(TableApiKeys, KeyCreatedOnOneStoreAuthenticatesOnAnother) {
  auto created = first_->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok()) << created.error().message;
  // The second store was opened before the key existed: its miss reads the table again.
  auto found = second_->authenticate(created->secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, created->key.id);
  EXPECT_EQ(found->name, "shop");
  EXPECT_FALSE(second_->authenticate_admin(created->secret).has_value());
  EXPECT_FALSE(second_->authenticate("NotAKeyNotAKeyNotAKeyNotAKeyNotAKey12345").has_value());

  // A third store opened now reads it at open, with its plan; the secret is nowhere in the table.
  auto third = open_store();
  ASSERT_NE(third, nullptr);
  const auto listed = third->list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].plan, UsagePlan{});
  EXPECT_EQ(listed[0].created_ms, created->key.created_ms);
  auto item = table_->get({.key = {{"PK", model::AttributeValue("KEY")},
                                   {"SK", model::AttributeValue(created->key.id)}}});
  ASSERT_TRUE(item.ok() && *item);
  for (const auto& [name, value] : **item) {
    if (value.is_s()) {
      EXPECT_EQ(value.as_s()->find(created->secret), std::string::npos) << name;
    }
  }
}

TEST_F(TableApiKeys, AdminKeysAndPlansTravelBetweenStores) {
  const UsagePlan plan{.rate = 2.5, .burst = 7, .quota = 100, .period = QuotaPeriod::kWeek};
  auto admin = first_->create("ops", UsagePlan{}, /*admin=*/true);
  auto limited = first_->create("limited", plan);
  ASSERT_TRUE(admin.ok() && limited.ok());
  EXPECT_TRUE(second_->authenticate_admin(admin->secret).has_value());
  EXPECT_FALSE(second_->authenticate(admin->secret).has_value());
  auto found = second_->authenticate(limited->secret);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->plan, plan);
  EXPECT_TRUE(second_->any_quota());
}

TEST_F(TableApiKeys, RevocationReachesTheOtherStoreWithinTheRefreshInterval) {
  auto created = first_->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(second_->authenticate(created->secret).has_value());
  ASSERT_TRUE(first_->revoke(created->key.id).ok());
  EXPECT_FALSE(first_->authenticate(created->secret).has_value());  // at once where revoked
  clock_.advance_ms(kOptions.refresh_interval.count());
  EXPECT_FALSE(second_->authenticate(created->secret).has_value());
  ASSERT_EQ(second_->list().size(), 1u);
  EXPECT_TRUE(second_->list()[0].revoked);
  // Revoking again, or from the other store, succeeds; an unknown id is kNotFound.
  EXPECT_TRUE(second_->revoke(created->key.id).ok());
  EXPECT_EQ(second_->revoke("nosuchkey0").error().code, model::ErrorCode::kNotFound);
}

TEST_F(TableApiKeys, RevokeOfAKeyMadeElsewhereReadsTheTable) {
  auto created = first_->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(second_->revoke(created->key.id).ok());  // not in its cache yet
  clock_.advance_ms(kOptions.refresh_interval.count());
  EXPECT_FALSE(first_->authenticate(created->secret).has_value());
}

TEST_F(TableApiKeys, RefreshOnAMissIsRateLimited) {
  // A miss reads the table; a second miss within the interval does not.
  EXPECT_FALSE(second_->authenticate("NotAKeyNotAKeyNotAKeyNotAKeyNotAKey12345").has_value());
  auto created = first_->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok());
  EXPECT_FALSE(second_->authenticate(created->secret).has_value());
  clock_.advance_ms(kOptions.miss_refresh_interval.count());
  EXPECT_TRUE(second_->authenticate(created->secret).has_value());
}

TEST_F(TableApiKeys, QuotaCountsTheRequestsOfBothStores) {
  const UsagePlan plan{.rate = 100, .burst = 200, .quota = 5, .period = QuotaPeriod::kDay};
  auto created = first_->create("metered", plan);
  ASSERT_TRUE(created.ok());
  auto on_second = second_->authenticate(created->secret);
  ASSERT_TRUE(on_second.has_value());
  for (int i = 0; i < 5; ++i) {
    TableApiKeyStore& store = i % 2 == 0 ? *first_ : *second_;
    auto decision = store.consume_quota(created->key);
    ASSERT_TRUE(decision.ok()) << decision.error().message;
    EXPECT_EQ(*decision, QuotaDecision::kAllowed) << i;
  }
  EXPECT_EQ(*first_->consume_quota(created->key), QuotaDecision::kExceeded);
  EXPECT_EQ(*second_->consume_quota(*on_second), QuotaDecision::kExceeded);
  EXPECT_EQ(*first_->quota_used(created->key.id, QuotaPeriod::kDay), 5);
  // A new day is a new count.
  clock_.advance_ms(24 * 3600 * 1000);
  EXPECT_EQ(*second_->consume_quota(*on_second), QuotaDecision::kAllowed);
  EXPECT_EQ(*first_->quota_used(created->key.id, QuotaPeriod::kDay), 1);
}

TEST_F(TableApiKeys, ConcurrentRequestsOnTwoStoresNeverCountPastTheQuota) {
  const UsagePlan plan{.rate = 100, .burst = 200, .quota = 12, .period = QuotaPeriod::kMonth};
  auto created = first_->create("metered", plan);
  ASSERT_TRUE(created.ok());
  std::atomic<int> allowed{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      TableApiKeyStore& store = t % 2 == 0 ? *first_ : *second_;
      for (int i = 0; i < 5; ++i) {
        auto decision = store.consume_quota(created->key);
        if (!decision.ok()) {
          ++failed;
        } else if (*decision == QuotaDecision::kAllowed) {
          ++allowed;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(allowed.load(), 12);
  EXPECT_EQ(*second_->quota_used(created->key.id, QuotaPeriod::kMonth), 12);
}

}  // namespace
}  // namespace cartflow::platform
