// SPDX-License-Identifier: Apache-2.0
#include "platform/api_keys.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "embedded/database.h"
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

std::string format_rate(double rate) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", rate);
  return buf;
}

constexpr const char* kSelectKeys =
    "SELECT id, name, key_hash, created_ms, revoked_ms IS NOT NULL, rate, burst, quota_limit, "
    "quota_period, admin FROM api_keys ORDER BY created_ms, id";

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
  std::vector<Cached> keys;
  Status s = database_.read([&](embedded::Connection& c) -> Status {
    auto stmt = c.prepare(kSelectKeys);
    if (!stmt.ok()) return std::move(stmt).error();
    while (true) {
      auto row = (*stmt)->step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) break;
      embedded::Statement& st = **stmt;
      Cached k;
      k.key.id = st.column_text(0);
      k.key.name = st.column_text(1);
      k.hash = st.column_text(2);
      k.key.created_ms = st.column_int(3);
      k.key.revoked = st.column_int(4) != 0;
      k.key.plan.rate = std::stod(st.column_text(5));
      k.key.plan.burst = st.column_int(6);
      k.key.plan.quota = st.column_int(7);
      auto period = parse_quota_period(st.column_text(8));
      k.key.plan.period = period.ok() ? *period : QuotaPeriod::kNone;
      k.key.admin = st.column_int(9) != 0;
      keys.push_back(std::move(k));
    }
    (*stmt)->reset();
    return {};
  });
  if (!s.ok()) return s;
  replace_keys(std::move(keys));
  return {};
}

Status SqliteApiKeyStore::insert(const Cached& k) {
  return database_.write([&](embedded::Connection& c) -> Status {
    auto stmt = c.prepare(
        "INSERT INTO api_keys(id, name, key_hash, created_ms, revoked_ms, rate, burst, "
        "quota_limit, quota_period, admin) VALUES(?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return std::move(stmt).error();
    const UsagePlan& plan = k.key.plan;
    (*stmt)->bind_text(1, k.key.id)
        .bind_text(2, k.key.name)
        .bind_blob(3, k.hash)
        .bind(4, k.key.created_ms)
        .bind_text(5, format_rate(plan.rate))
        .bind(6, plan.burst)
        .bind(7, plan.quota)
        .bind_text(8, quota_period_name(plan.period))
        .bind(9, static_cast<std::int64_t>(k.key.admin ? 1 : 0));
    return (*stmt)->run();
  });
}

Status SqliteApiKeyStore::mark_revoked(std::string_view id, std::int64_t now_ms) {
  return database_.write([&](embedded::Connection& c) -> Status {
    auto stmt = c.prepare("UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind(1, now_ms).bind_text(2, id);
    return (*stmt)->run();
  });
}

Result<bool> SqliteApiKeyStore::count_request(const ApiKey& key, std::int64_t start) {
  bool counted = false;
  Status s = database_.write([&](embedded::Connection& c) -> Status {
    auto stmt = c.prepare(
        "INSERT INTO api_key_usage(key_id, period_start_ms, used) VALUES(?, ?, 1) "
        "ON CONFLICT(key_id, period_start_ms) DO UPDATE SET used = used + 1 WHERE used < ?");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, key.id).bind(2, start).bind(3, key.plan.quota);
    if (auto r = (*stmt)->run(); !r.ok()) return r;
    counted = c.changes() > 0;
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return counted;
}

Result<std::int64_t> SqliteApiKeyStore::read_used(std::string_view key_id,
                                                  std::int64_t start) const {
  std::int64_t used = 0;
  Status s = database_.read([&](embedded::Connection& c) -> Status {
    auto stmt = c.prepare("SELECT used FROM api_key_usage WHERE key_id = ? AND period_start_ms = ?");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, key_id).bind(2, start);
    auto row = (*stmt)->step();
    if (!row.ok()) return std::move(row).error();
    if (*row) used = (*stmt)->column_int(0);
    (*stmt)->reset();
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return used;
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
