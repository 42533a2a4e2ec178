// SPDX-License-Identifier: Apache-2.0
#include "platform/api_keys.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "embedded/sqlite.h"
#include "fixtures.h"

namespace cartflow::platform {
namespace {

using testing::TempDatabase;

std::unique_ptr<ApiKeyStore> open_store(embedded::Database& db, const ports::Clock& clock) {
  auto store = ApiKeyStore::open(db, clock);
  EXPECT_TRUE(store.ok());
  return std::move(*store);
}

TEST(ApiKeyStore, CreateReturnsFortyCharBase62SecretOnce) {
  TempDatabase tmp;
  ports::ManualClock clock;
  auto store = open_store(tmp.open(), clock);
  auto a = store->create("shop", UsagePlan{});
  auto b = store->create("shop", UsagePlan{});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->secret.size(), 40u);
  for (char c : a->secret) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << c;
  EXPECT_NE(a->secret, b->secret);
  EXPECT_NE(a->key.id, b->key.id);
  EXPECT_EQ(a->key.id.size(), 10u);
  EXPECT_EQ(a->key.created_ms, clock.now_ms());
}

TEST(ApiKeyStore, StoresOnlyTheSha256OfTheSecret) {
  TempDatabase tmp;
  ports::ManualClock clock;
  embedded::Database& db = tmp.open();
  auto store = open_store(db, clock);
  auto created = store->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok());
  std::string stored_hash;
  ASSERT_TRUE(db.read([&](embedded::Connection& c) -> model::Status {
                  auto st = c.prepare("SELECT key_hash FROM api_keys");
                  if (!st.ok()) return std::move(st).error();
                  auto row = (*st)->step();
                  if (row.ok() && *row) stored_hash = (*st)->column_text(0);
                  (*st)->reset();
                  return {};
                }).ok());
  EXPECT_EQ(stored_hash, api_key_hash(created->secret));
  EXPECT_EQ(stored_hash.size(), 32u);
  // The secret appears nowhere in the database file.
  tmp.db.reset();
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream f(tmp.path + suffix, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    EXPECT_EQ(ss.str().find(created->secret), std::string::npos) << suffix;
  }
}

TEST(ApiKeyStore, ListShowsKeysButNeverSecrets) {
  TempDatabase tmp;
  ports::ManualClock clock;
  auto store = open_store(tmp.open(), clock);
  UsagePlan plan{5.0, 10, 1000, QuotaPeriod::kWeek};
  auto created = store->create("mobile app", plan);
  ASSERT_TRUE(created.ok());
  auto keys = store->list();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].id, created->key.id);
  EXPECT_EQ(keys[0].name, "mobile app");
  EXPECT_EQ(keys[0].plan, plan);
  EXPECT_FALSE(keys[0].revoked);
  EXPECT_EQ(keys[0].id.find(created->secret), std::string::npos);
  EXPECT_EQ(keys[0].name.find(created->secret), std::string::npos);
}

TEST(ApiKeyStore, AuthenticatesActiveKeysOnly) {
  TempDatabase tmp;
  ports::ManualClock clock;
  auto store = open_store(tmp.open(), clock);
  auto a = store->create("a", UsagePlan{});
  auto b = store->create("b", UsagePlan{});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(store->authenticate(a->secret).has_value());
  EXPECT_EQ(store->authenticate(b->secret)->id, b->key.id);
  EXPECT_FALSE(store->authenticate("").has_value());
  EXPECT_FALSE(store->authenticate(a->secret.substr(0, 39)).has_value());
  EXPECT_FALSE(store->authenticate(a->secret + "x").has_value());
  ASSERT_TRUE(store->revoke(a->key.id).ok());
  EXPECT_FALSE(store->authenticate(a->secret).has_value());
  EXPECT_TRUE(store->authenticate(b->secret).has_value());
  EXPECT_TRUE(store->revoke(a->key.id).ok());  // idempotent
  auto missing = store->revoke("nosuchkey0");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, model::ErrorCode::kNotFound);
}

TEST(ApiKeyStore, KeysAndRevocationsSurviveReopen) {
  TempDatabase tmp;
  ports::ManualClock clock;
  std::string secret_a, secret_b, id_a;
  {
    auto store = open_store(tmp.open(), clock);
    auto a = store->create("a", UsagePlan{1.5, 3, 0, QuotaPeriod::kNone});
    auto b = store->create("b", UsagePlan{});
    ASSERT_TRUE(a.ok() && b.ok());
    secret_a = a->secret;
    secret_b = b->secret;
    id_a = a->key.id;
    ASSERT_TRUE(store->revoke(id_a).ok());
  }
  auto store = open_store(tmp.open(), clock);
  auto keys = store->list();
  ASSERT_EQ(keys.size(), 2u);
  const ApiKey& a = keys[0].id == id_a ? keys[0] : keys[1];  // same ms: order by id
  EXPECT_EQ(a.id, id_a);
  EXPECT_TRUE(a.revoked);
  EXPECT_DOUBLE_EQ(a.plan.rate, 1.5);
  EXPECT_EQ(a.plan.burst, 3);
  EXPECT_FALSE(store->authenticate(secret_a).has_value());
  EXPECT_TRUE(store->authenticate(secret_b).has_value());
}

TEST(ApiKeyStore, AdminKeysOpenOnlyTheConsoleAndApiKeysOnlyTheApi) {
  TempDatabase tmp;
  ports::ManualClock clock;
  std::string admin_secret, api_secret, admin_id;
  {
    auto store = open_store(tmp.open(), clock);
    auto admin = store->create("ops", UsagePlan{}, /*admin=*/true);
    auto api = store->create("shop", UsagePlan{});
    ASSERT_TRUE(admin.ok() && api.ok());
    EXPECT_TRUE(admin->key.admin);
    EXPECT_FALSE(api->key.admin);
    admin_secret = admin->secret;
    api_secret = api->secret;
    admin_id = admin->key.id;
    EXPECT_FALSE(store->authenticate(admin_secret).has_value());
    EXPECT_FALSE(store->authenticate_admin(api_secret).has_value());
  }
  // The flag is stored: it survives a reopen.
  auto store = open_store(tmp.open(), clock);
  auto admin = store->authenticate_admin(admin_secret);
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->id, admin_id);
  EXPECT_TRUE(admin->admin);
  EXPECT_FALSE(store->authenticate(admin_secret).has_value());
  EXPECT_TRUE(store->authenticate(api_secret).has_value());
  EXPECT_FALSE(store->authenticate_admin(api_secret).has_value());
  EXPECT_FALSE(store->authenticate_admin("").has_value());
  ASSERT_TRUE(store->revoke(admin_id).ok());
  EXPECT_FALSE(store->authenticate_admin(admin_secret).has_value());
}

TEST(ApiKeyStore, KeysOfASchemaVersion3FileStayApiKeys) {
  TempDatabase tmp;
  ports::ManualClock clock;
  std::string secret;
  {
    auto store = open_store(tmp.open(), clock);
    auto a = store->create("old", UsagePlan{});
    ASSERT_TRUE(a.ok());
    secret = a->secret;
  }
  tmp.db.reset();
  {
    // The file as version 3 wrote it: no admin column.
    auto c = embedded::Connection::open(tmp.path, false);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->exec("ALTER TABLE api_keys DROP COLUMN admin; PRAGMA user_version = 3;").ok());
  }
  auto store = open_store(tmp.open(), clock);  // migrates to version 4
  auto key = store->authenticate(secret);
  ASSERT_TRUE(key.has_value());
  EXPECT_FALSE(key->admin);
  EXPECT_FALSE(store->authenticate_admin(secret).has_value());
}

TEST(ApiKeyStore, RejectsInvalidPlansAndNames) {
  TempDatabase tmp;
  ports::ManualClock clock;
  auto store = open_store(tmp.open(), clock);
  EXPECT_FALSE(store->create("", UsagePlan{}).ok());
  EXPECT_FALSE(store->create("x", UsagePlan{0.0, 1, 0, QuotaPeriod::kNone}).ok());
  EXPECT_FALSE(store->create("x", UsagePlan{1.0, 0, 0, QuotaPeriod::kNone}).ok());
  EXPECT_FALSE(store->create("x", UsagePlan{1.0, 1, 10, QuotaPeriod::kNone}).ok());
  EXPECT_FALSE(store->create("x", UsagePlan{1.0, 1, 0, QuotaPeriod::kDay}).ok());
  EXPECT_TRUE(store->list().empty());
}

TEST(ApiKeyQuota, CountsUpToTheQuotaThenRefusesUntilTheNextPeriod) {
  TempDatabase tmp;
  ports::ManualClock clock(1'715'774'400'000);  // 2024-05-15T12:00:00Z
  auto store = open_store(tmp.open(), clock);
  auto created = store->create("q", UsagePlan{100, 100, 3, QuotaPeriod::kDay});
  ASSERT_TRUE(created.ok());
  for (int i = 0; i < 3; ++i) {
    auto d = store->consume_quota(created->key);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, QuotaDecision::kAllowed) << i;
  }
  EXPECT_EQ(*store->consume_quota(created->key), QuotaDecision::kExceeded);
  EXPECT_EQ(*store->quota_used(created->key.id, QuotaPeriod::kDay), 3);
  clock.advance_ms(11 * 3600 * 1000);  // 23:00 the same day
  EXPECT_EQ(*store->consume_quota(created->key), QuotaDecision::kExceeded);
  clock.advance_ms(3600 * 1000);  // midnight UTC: a new day
  EXPECT_EQ(*store->consume_quota(created->key), QuotaDecision::kAllowed);
  EXPECT_EQ(*store->quota_used(created->key.id, QuotaPeriod::kDay), 1);
}

TEST(ApiKeyQuota, CountersArePersisted) {
  TempDatabase tmp;
  ports::ManualClock clock(1'715'774'400'000);
  ApiKey key;
  {
    auto store = open_store(tmp.open(), clock);
    auto created = store->create("q", UsagePlan{100, 100, 2, QuotaPeriod::kMonth});
    ASSERT_TRUE(created.ok());
    key = created->key;
    EXPECT_EQ(*store->consume_quota(key), QuotaDecision::kAllowed);
    EXPECT_EQ(*store->consume_quota(key), QuotaDecision::kAllowed);
  }
  auto store = open_store(tmp.open(), clock);
  EXPECT_EQ(*store->consume_quota(key), QuotaDecision::kExceeded);
}

TEST(ApiKeyQuota, NoQuotaMeansNoCounting) {
  TempDatabase tmp;
  ports::ManualClock clock;
  auto store = open_store(tmp.open(), clock);
  auto created = store->create("q", UsagePlan{});
  ASSERT_TRUE(created.ok());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(*store->consume_quota(created->key), QuotaDecision::kAllowed);
  EXPECT_EQ(*store->quota_used(created->key.id, QuotaPeriod::kDay), 0);
}

TEST(QuotaPeriod, StartsAtUtcDayMondayAndFirstOfMonth) {
  const std::int64_t wed = 1'715'781'600'000;  // 2024-05-15T14:00:00Z, a Wednesday
  EXPECT_EQ(quota_period_start_ms(QuotaPeriod::kDay, wed), 1'715'731'200'000);    // 05-15
  EXPECT_EQ(quota_period_start_ms(QuotaPeriod::kWeek, wed), 1'715'558'400'000);   // Mon 05-13
  EXPECT_EQ(quota_period_start_ms(QuotaPeriod::kMonth, wed), 1'714'521'600'000);  // 05-01
  const std::int64_t saturday = 1'716'076'799'000;  // 2024-05-18T23:59:59Z; +1 day: Sunday
  EXPECT_EQ(quota_period_start_ms(QuotaPeriod::kWeek, saturday + 86'400'000), 1'715'558'400'000);
  EXPECT_EQ(quota_period_start_ms(QuotaPeriod::kWeek, 1'716'163'200'000), 1'716'163'200'000);  // Mon 05-20
  EXPECT_EQ(quota_period_start_ms(QuotaPeriod::kNone, wed), 0);
  EXPECT_EQ(*parse_quota_period("Week"), QuotaPeriod::kWeek);
  EXPECT_FALSE(parse_quota_period("year").ok());
}

}  // namespace
}  // namespace cartflow::platform
