// SPDX-License-Identifier: Apache-2.0
#pragma once

// ApiKeyStore: the local API Gateway's API keys and usage plans. Two stores behind this one
// interface: the embedded Database's (ApiKeyStore::open: tables api_keys and api_key_usage,
// schema version 2; the admin flag, version 4; their SQL in embedded/api_key_rows.h), and a
// DynamoDB-like table's (platform/table_api_keys.h), which several processes share.
//
// Admin keys open the operations console (`/console`, web/console_api.h) and nothing else: the
// API Gateway refuses them, and the console refuses every key that is not admin, so a
// storefront's key never reaches the console and an admin key never sits in a storefront.
//
// Secrets: a key's secret is 40 base62 characters from util::random_string (OpenSSL RAND_bytes,
// ~238 bits). It is returned once by create() and stored only as its SHA-256 (no salt is needed
// for a random secret of that strength). authenticate() compares the hash of the presented value
// with every active key's hash using util::constant_time_equal, so the time taken does not
// depend on which bytes match.
// Secrets are never logged, listed or kept in memory after create() returns.
//
// Threading: thread-safe. Keys are cached in memory (loaded by open(), updated by create() and
// revoke() through this object). The embedded Database admits one writing process, so no other
// process can change its keys while its store is open; a shared store reloads its cache as its
// header says (refresh()).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "ports/clock.h"

namespace cartflow::embedded {
class Database;
}

namespace cartflow::platform {

enum class QuotaPeriod { kNone, kDay, kWeek, kMonth };

// "DAY", "WEEK", "MONTH" (API Gateway's names); "" for kNone.
const char* quota_period_name(QuotaPeriod period);
// Case-insensitive "day", "week", "month" (and "" / "none" for kNone); kInvalidArgument otherwise.
model::Result<QuotaPeriod> parse_quota_period(std::string_view text);
// Start (Unix ms) of the quota period containing `now_ms`, in UTC: midnight for DAY, Monday
// midnight for WEEK, the first of the month for MONTH; 0 for kNone.
std::int64_t quota_period_start_ms(QuotaPeriod period, std::int64_t now_ms);

// A usage plan as API Gateway defines one: steady rate (requests per second) and burst for the
// token bucket, and an optional quota of requests per period.
struct UsagePlan {
  double rate = 100.0;
  std::int64_t burst = 200;
  std::int64_t quota = 0;  // 0: no quota
  QuotaPeriod period = QuotaPeriod::kNone;
  bool operator==(const UsagePlan&) const = default;
};

// Checks a plan: rate > 0, burst >= 1, quota >= 0, a period iff a quota. kInvalidArgument.
model::Status validate(const UsagePlan& plan);

// A key as listed: never its secret.
struct ApiKey {
  std::string id;    // 10 lower-case base36 characters, like API Gateway key ids
  std::string name;
  std::int64_t created_ms = 0;
  bool revoked = false;
  bool admin = false;  // opens the console only (see above)
  UsagePlan plan;
};

struct CreatedApiKey {
  ApiKey key;
  std::string secret;  // the value clients send as x-api-key; shown once
};

// Outcome of counting one request against a key's quota.
enum class QuotaDecision { kAllowed, kExceeded };

class ApiKeyStore {
 public:
  // The embedded store: loads the keys from `database` (which must outlive the store). Fails
  // with the database's error (kUnavailable) when it cannot be read.
  static model::Result<std::unique_ptr<ApiKeyStore>> open(embedded::Database& database,
                                                          const ports::Clock& clock);
  virtual ~ApiKeyStore();

  // Creates a key under `plan`. kInvalidArgument for an invalid plan or an empty name longer
  // than 128 characters; the storage's error when the write fails.
  // `admin`: a console key (see above) instead of an API key.
  model::Result<CreatedApiKey> create(std::string_view name, const UsagePlan& plan,
                                      bool admin = false);
  // Every key, oldest first (same millisecond: by id), revoked ones included and marked.
  std::vector<ApiKey> list() const;
  // Revokes key `id`: from now on it is refused. kNotFound for an unknown id; revoking a revoked
  // key succeeds (idempotent).
  model::Status revoke(std::string_view id);

  // The active API (non-admin) key whose secret is `secret`; std::nullopt when none (unknown,
  // revoked, empty, or an admin key).
  std::optional<ApiKey> authenticate(std::string_view secret) const;
  // The active admin key whose secret is `secret`; std::nullopt for every other value (an API
  // key included). Same constant-time comparison as authenticate().
  std::optional<ApiKey> authenticate_admin(std::string_view secret) const;

  // Whether any active key has a quota (consume_quota() then writes for it). Lock-free read of
  // a flag kept by open(), create(), revoke() and refreshes.
  bool any_quota() const { return any_quota_.load(std::memory_order_acquire); }

  // Counts one request against the quota of `key` for the period containing the clock's now,
  // persistently (one write). kAllowed without writing when the plan has no quota. kExceeded
  // when the period's count already reached the quota (the request is not counted). Fails with
  // the storage's error when the write fails (the caller should answer 5xx, not let it pass).
  model::Result<QuotaDecision> consume_quota(const ApiKey& key);
  // Requests counted for `key_id` in the current period (0 when none).
  model::Result<std::int64_t> quota_used(std::string_view key_id, QuotaPeriod period) const {
    return read_used(key_id, quota_period_start_ms(period, clock_.now_ms()));
  }

 protected:
  struct Cached {
    ApiKey key;
    std::string hash;  // 32 raw bytes
  };
  explicit ApiKeyStore(const ports::Clock& clock) : clock_(clock) {}

  // The storage, for the cache above it. Each fails with the storage's error.
  // Stores a new key.
  virtual model::Status insert(const Cached& key) = 0;
  // Marks key `id` revoked at `now_ms` (a revoked key stays revoked).
  virtual model::Status mark_revoked(std::string_view id, std::int64_t now_ms) = 0;
  // Adds one to the count of `key` for the period starting at `period_start_ms` unless it has
  // reached the plan's quota: true when counted, false when the quota was reached.
  virtual model::Result<bool> count_request(const ApiKey& key, std::int64_t period_start_ms) = 0;
  virtual model::Result<std::int64_t> read_used(std::string_view key_id,
                                                std::int64_t period_start_ms) const = 0;
  // Called by authenticate*() before the cache is searched (`miss` false) and again after a
  // search found nothing (`miss` true; the search is then repeated when this returns true).
  // A store that other processes write reloads here (through replace_keys()); the embedded one
  // never needs to.
  virtual bool refresh(bool /*miss*/) const { return false; }
  // Replaces the cache with `keys` (creation order), e.g. after reading the storage.
  void replace_keys(std::vector<Cached> keys) const;
  const ports::Clock& clock() const { return clock_; }

 private:
  std::optional<ApiKey> find_active(std::string_view secret, bool admin) const;
  std::optional<ApiKey> search(const std::string& hash, bool admin) const;
  void update_any_quota() const;  // REQUIRES(mutex_)

  const ports::Clock& clock_;
  mutable std::mutex mutex_;
  mutable std::vector<Cached> keys_;  // GUARDED_BY(mutex_), creation order
  mutable std::atomic<bool> any_quota_{false};  // some active key in keys_ has a quota
  // Keys whose quota was found exhausted, with the period start: no write until it rolls over.
  std::map<std::string, std::int64_t, std::less<>> exhausted_;  // GUARDED_BY(mutex_)
};

// SHA-256 of `secret` as 32 raw bytes (what the store keeps).
std::string api_key_hash(std::string_view secret);

}  // namespace cartflow::platform
