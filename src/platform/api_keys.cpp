// SPDX-License-Identifier: Apache-2.0
#include "platform/api_keys.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "embedded/api_key_rows.h"
#include "util/hash.h"
#include "util/random.h"

namespace cartflow::platform {

using model::Error;
using model::Result;
using model::Status;

namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kSecretLength = 40;
constexpr std::size_t kIdLength = 10;

}  // namespace

const char* quota_period_name(QuotaPeriod period) {
  switch (period) {
    case QuotaPeriod::kDay: return "DAY";
    case QuotaPeriod::kWeek: return "WEEK";
    case QuotaPeriod::kMonth: return "MONTH";
    case QuotaPeriod::kNone: break;
  }
  return "";
}

Result<QuotaPeriod> parse_quota_period(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty() || lower == "none") return QuotaPeriod::kNone;
  if (lower == "day") return QuotaPeriod::kDay;
  if (lower == "week") return QuotaPeriod::kWeek;
  if (lower == "month") return QuotaPeriod::kMonth;
  return Error::invalid("quota period must be day, week or month, not '" + std::string(text) + "'");
}

std::int64_t quota_period_start_ms(QuotaPeriod period, std::int64_t now_ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(now_ms)));
  sys_days start;
  switch (period) {
    case QuotaPeriod::kNone:
      return 0;
    case QuotaPeriod::kDay:
      start = day;
      break;
    case QuotaPeriod::kWeek: {
      const weekday wd{day};
      start = day - days((wd.c_encoding() + 6) % 7);  // back to Monday
      break;
    }
    case QuotaPeriod::kMonth: {
      const year_month_day ymd{day};
      start = sys_days(ymd.year() / ymd.month() / 1);
      break;
    }
  }
  return duration_cast<milliseconds>(start.time_since_epoch()).count();
}

Status validate(const UsagePlan& plan) {
  if (!(plan.rate > 0)) return Error::invalid("usage plan rate must be greater than 0");
  if (plan.burst < 1) return Error::invalid("usage plan burst must be at least 1");
  if (plan.quota < 0) return Error::invalid("usage plan quota must not be negative");
  if ((plan.quota > 0) != (plan.period != QuotaPeriod::kNone)) {
    return Error::invalid("usage plan quota and period go together");
  }
  return {};
}

std::string api_key_hash(std::string_view secret) {
  return util::sha256(secret);
}

namespace {

// The embedded store: the keys and their usage in the Database's tables.
class SqliteApiKeyStore final : public ApiKeyStore {
 public:
  SqliteApiKeyStore(embedded::Database& database, const ports::Clock& clock)
      : ApiKeyStore(clock), database_(database) {}
  Status load();

 private:
  Status insert(const Cached& k) override;
  Status mark_revoked(std::string_view id, std::int64_t now_ms) override;
  Result<bool> count_request(const ApiKey& key, std::int64_t period_start_ms) override;
  Result<std::int64_t> read_used(std::string_view key_id,
                                 std::int64_t period_start_ms) const override;

  embedded::Database& database_;
};

Status SqliteApiKeyStore::load() {
  auto rows = embedded::read_api_key_rows(database_);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Cached> keys;
  keys.reserve(rows->size());
  for (embedded::ApiKeyRow& row : *rows) {
    Cached k;
    k.key.id = std::move(row.id);
    k.key.name = std::move(row.name);
    k.hash = std::move(row.key_hash);
    k.key.created_ms = row.created_ms;
    k.key.revoked = row.revoked;
    k.key.admin = row.admin;
    k.key.plan.rate = row.rate;
    k.key.plan.burst = row.burst;
    k.key.plan.quota = row.quota_limit;
    auto period = parse_quota_period(row.quota_period);
    k.key.plan.period = period.ok() ? *period : QuotaPeriod::kNone;
    keys.push_back(std::move(k));
  }
  replace_keys(std::move(keys));
  return {};
}

Status SqliteApiKeyStore::insert(const Cached& k) {
  const UsagePlan& plan = k.key.plan;
  return embedded::insert_api_key_row(
      database_, {.id = k.key.id,
                  .name = k.key.name,
                  .key_hash = k.hash,
                  .created_ms = k.key.created_ms,
                  .rate = plan.rate,
                  .burst = plan.burst,
                  .quota_limit = plan.quota,
                  .quota_period = quota_period_name(plan.period),
                  .admin = k.key.admin});
}

Status SqliteApiKeyStore::mark_revoked(std::string_view id, std::int64_t now_ms) {
  return embedded::mark_api_key_row_revoked(database_, id, now_ms);
}

Result<bool> SqliteApiKeyStore::count_request(const ApiKey& key, std::int64_t start) {
  return embedded::count_api_key_request(database_, key.id, start, key.plan.quota);
}

Result<std::int64_t> SqliteApiKeyStore::read_used(std::string_view key_id,
                                                  std::int64_t start) const {
  return embedded::read_api_key_usage(database_, key_id, start);
}

}  // namespace

Result<std::unique_ptr<ApiKeyStore>> ApiKeyStore::open(embedded::Database& database,
                                                       const ports::Clock& clock) {
  auto store = std::make_unique<SqliteApiKeyStore>(database, clock);
  if (auto s = store->load(); !s.ok()) return std::move(s).error();
  return std::unique_ptr<ApiKeyStore>(std::move(store));
}

ApiKeyStore::~ApiKeyStore() = default;

void ApiKeyStore::replace_keys(std::vector<Cached> keys) const {
  std::lock_guard lock(mutex_);
  keys_ = std::move(keys);
  update_any_quota();
}

Result<CreatedApiKey> ApiKeyStore::create(std::string_view name, const UsagePlan& plan,
                                          bool admin) {
  if (auto s = validate(plan); !s.ok()) return std::move(s).error();
  if (name.empty() || name.size() > 128) {
    return Error::invalid("key name must have 1 to 128 characters");
  }
  const std::string secret = util::random_string(kBase62, kSecretLength);
  Cached k;
  k.key.id = util::random_string("0123456789abcdefghijklmnopqrstuvwxyz", kIdLength);
  k.key.name = std::string(name);
  k.key.created_ms = clock_.now_ms();
  k.key.plan = plan;
  k.key.admin = admin;
  k.hash = api_key_hash(secret);
  if (auto s = insert(k); !s.ok()) return std::move(s).error();
  CreatedApiKey created{k.key, secret};
  std::lock_guard lock(mutex_);
  keys_.push_back(std::move(k));
  update_any_quota();
  return created;
}

std::vector<ApiKey> ApiKeyStore::list() const {
  std::lock_guard lock(mutex_);
  std::vector<ApiKey> out;
  out.reserve(keys_.size());
  for (const Cached& k : keys_) out.push_back(k.key);
  return out;
}

Status ApiKeyStore::revoke(std::string_view id) {
  auto known = [&]() -> std::optional<bool> {  // nullopt: unknown; else: revoked already
    std::lock_guard lock(mutex_);
    for (const Cached& k : keys_) {
      if (k.key.id == id) return k.key.revoked;
    }
    return std::nullopt;
  };
  std::optional<bool> revoked = known();
  if (!revoked && refresh(/*miss=*/true)) revoked = known();  // made by another process
  if (!revoked) return Error::not_found("no API key with id '" + std::string(id) + "'");
  if (*revoked) return {};
  if (Status s = mark_revoked(id, clock_.now_ms()); !s.ok()) return s;
  std::lock_guard lock(mutex_);
  for (Cached& k : keys_) {
    if (k.key.id == id) k.key.revoked = true;
  }
  update_any_quota();
  return {};
}

void ApiKeyStore::update_any_quota() const {
  bool any = false;
  for (const Cached& k : keys_) {
    any = any || (!k.key.revoked && k.key.plan.quota > 0 && k.key.plan.period != QuotaPeriod::kNone);
  }
  any_quota_.store(any, std::memory_order_release);
}

std::optional<ApiKey> ApiKeyStore::authenticate(std::string_view secret) const {
  return find_active(secret, false);
}

std::optional<ApiKey> ApiKeyStore::authenticate_admin(std::string_view secret) const {
  return find_active(secret, true);
}

std::optional<ApiKey> ApiKeyStore::find_active(std::string_view secret, bool admin) const {
  if (secret.empty()) return std::nullopt;
  const std::string hash = api_key_hash(secret);
  (void)refresh(/*miss=*/false);
  std::optional<ApiKey> found = search(hash, admin);
  if (!found && refresh(/*miss=*/true)) found = search(hash, admin);
  return found;
}

std::optional<ApiKey> ApiKeyStore::search(const std::string& hash, bool admin) const {
  std::lock_guard lock(mutex_);
  // Every key is compared, match or not, so timing reveals neither the key nor its position.
  const Cached* found = nullptr;
  for (const Cached& k : keys_) {
    if (util::constant_time_equal(k.hash, hash)) found = &k;
  }
  if (found == nullptr || found->key.revoked || found->key.admin != admin) return std::nullopt;
  return found->key;
}

Result<QuotaDecision> ApiKeyStore::consume_quota(const ApiKey& key) {
  if (key.plan.quota <= 0 || key.plan.period == QuotaPeriod::kNone) return QuotaDecision::kAllowed;
  const std::int64_t start = quota_period_start_ms(key.plan.period, clock_.now_ms());
  {
    std::lock_guard lock(mutex_);
    auto it = exhausted_.find(key.id);
    if (it != exhausted_.end()) {
      if (it->second == start) return QuotaDecision::kExceeded;
      exhausted_.erase(it);
    }
  }
  auto counted = count_request(key, start);
  if (!counted.ok()) return std::move(counted).error();
  if (*counted) return QuotaDecision::kAllowed;
  std::lock_guard lock(mutex_);
  exhausted_[key.id] = start;
  return QuotaDecision::kExceeded;
}

}  // namespace cartflow::platform
