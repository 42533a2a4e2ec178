// SPDX-License-Identifier: Apache-2.0
#include "platform/table_api_keys.h"

#include <algorithm>
#include <cstdio>

#include "platform/item_fields.h"
#include "util/hex.h"

namespace cartflow::platform {

using model::AttributeValue;
using model::Cond;
using model::Error;
using model::Item;
using model::Result;
using model::Status;

namespace {

constexpr const char* kKeysPartition = "KEY";

Item key_item_key(std::string_view id) {
  return {{kPk, AttributeValue(kKeysPartition)}, {kSk, AttributeValue(std::string(id))}};
}

Item usage_key(std::string_view key_id, std::int64_t period_start_ms) {
  return {{kPk, AttributeValue("USAGE#" + std::string(key_id))},
          {kSk, AttributeValue(std::to_string(period_start_ms))}};
}

AttributeValue number(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  auto parsed = model::Number::parse(buf);
  return parsed.ok() ? AttributeValue(std::move(parsed.value())) : AttributeValue::integer(0);
}

}  // namespace

ports::TableDescription api_keys_table_description(std::string name) {
  return own_table_description(std::move(name));
}

Result<std::unique_ptr<TableApiKeyStore>> TableApiKeyStore::open(ports::Table& table,
                                                                 const ports::Clock& clock,
                                                                 TableApiKeyStoreOptions options) {
  std::unique_ptr<TableApiKeyStore> store(new TableApiKeyStore(table, clock, options));
  store->loaded_ms_ = clock.now_ms();
  if (auto s = store->load(); !s.ok()) return std::move(s).error();
  return store;
}

Status TableApiKeyStore::load() const {
  std::vector<Cached> keys;
  ports::QueryRequest query;
  query.key_condition = model::KeyCondition::hash(kPk, AttributeValue(kKeysPartition));
  query.consistent_read = true;
  auto items = ports::query_all(table_, std::move(query));
  if (!items.ok()) return std::move(items).error();
  for (const Item& item : *items) {
    Cached k;
    k.key.id = item_string(item, kSk);
    k.key.name = item_string(item, "name");
    k.key.created_ms = item_int(item, "created_ms");
    k.key.revoked = item.contains("revoked_ms");
    auto rate = item.find("rate");
    k.key.plan.rate = rate != item.end() && rate->second.is_n() ? rate->second.as_n()->to_double()
                                                                : 0.0;
    k.key.plan.burst = item_int(item, "burst");
    k.key.plan.quota = item_int(item, "quota");
    auto period = parse_quota_period(item_string(item, "quota_period"));
    k.key.plan.period = period.ok() ? *period : QuotaPeriod::kNone;
    auto admin = item.find("admin");
    k.key.admin = admin != item.end() && admin->second.as_bool() != nullptr &&
                  *admin->second.as_bool();
    // An item whose hash does not decode matches no secret (an empty hash never matches).
    k.hash = util::hex_decode(item_string(item, "key_hash")).value_or(std::string());
    keys.push_back(std::move(k));
  }
  std::sort(keys.begin(), keys.end(), [](const Cached& a, const Cached& b) {
    return a.key.created_ms != b.key.created_ms ? a.key.created_ms < b.key.created_ms
                                                : a.key.id < b.key.id;
  });
  replace_keys(std::move(keys));
  return {};
}

bool TableApiKeyStore::refresh(bool miss) const {
  const std::int64_t now = clock().now_ms();
  {
    std::lock_guard lock(refresh_mutex_);
    if (miss) {
      if (miss_read_done_ && now - miss_read_ms_ < options_.miss_refresh_interval.count()) {
        return false;
      }
      miss_read_done_ = true;
      miss_read_ms_ = now;
    } else if (now - loaded_ms_ < options_.refresh_interval.count()) {
      return false;
    }
    loaded_ms_ = now;  // the other threads keep the cache while this one reads
  }
  return load().ok();
}

Status TableApiKeyStore::insert(const Cached& k) {
  const UsagePlan& plan = k.key.plan;
  Item item = key_item_key(k.key.id);
  item.emplace("name", AttributeValue(k.key.name));
  item.emplace("key_hash", AttributeValue(util::hex_encode(k.hash)));
  item.emplace("created_ms", AttributeValue::integer(k.key.created_ms));
  item.emplace("rate", number(plan.rate));
  item.emplace("burst", AttributeValue::integer(plan.burst));
  item.emplace("quota", AttributeValue::integer(plan.quota));
  item.emplace("quota_period", AttributeValue(quota_period_name(plan.period)));
  item.emplace("admin", AttributeValue(k.key.admin));
  auto put = table_.put({.item = std::move(item), .condition = Cond::not_exists(model::path(kPk))});
  if (!put.ok()) return std::move(put).error();
  return {};
}

Status TableApiKeyStore::mark_revoked(std::string_view id, std::int64_t now_ms) {
  ports::UpdateRequest request;
  request.key = key_item_key(id);
  request.update.set(model::path("revoked_ms"), AttributeValue::integer(now_ms));
  // Only an existing key that is not revoked yet: the first revocation's time stays.
  request.condition =
      Cond::exists(model::path(kPk)) && Cond::not_exists(model::path("revoked_ms"));
  auto updated = table_.update(request);
  if (updated.ok()) return {};
  if (updated.error().code == model::ErrorCode::kConditionFailed) {
    // Revoked meanwhile (fine), or absent: deleted from the table by hand.
    auto item = table_.get({.key = key_item_key(id)});
    if (item.ok() && *item) return {};
    return Error::not_found("no API key with id '" + std::string(id) + "'");
  }
  return std::move(updated).error();
}

Result<bool> TableApiKeyStore::count_request(const ApiKey& key, std::int64_t period_start_ms) {
  ports::UpdateRequest request;
  request.key = usage_key(key.id, period_start_ms);
  request.update.add(model::path("used"), AttributeValue::integer(1));
  request.condition =
      Cond::not_exists(model::path("used")) ||
      Cond::compare(model::Comparator::kLt, model::operand(model::path("used")),
                    model::operand(AttributeValue::integer(key.plan.quota)));
  auto updated = table_.update(request);
  if (updated.ok()) return true;
  if (updated.error().code == model::ErrorCode::kConditionFailed) return false;
  return std::move(updated).error();
}

Result<std::int64_t> TableApiKeyStore::read_used(std::string_view key_id,
                                                 std::int64_t period_start_ms) const {
  auto item = table_.get({.key = usage_key(key_id, period_start_ms)});
  if (!item.ok()) return std::move(item).error();
  return *item ? item_int(**item, "used") : 0;
}

}  // namespace cartflow::platform
