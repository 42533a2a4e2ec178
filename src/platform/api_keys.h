// SPDX-License-Identifier: Apache-2.0
#pragma once

// ApiKeyStore: the local API Gateway's API keys and usage plans, in the embedded Database
// (tables api_keys and api_key_usage, schema version 2; the admin flag, version 4).
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
// revoke() through this object); the Database admits one writing process, so no other process
// can change the keys while this store is open.

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
  // Loads the keys from `database` (which must outlive the store). Fails with the database's
  // error (kUnavailable) when it cannot be read.
  static model::Result<std::unique_ptr<ApiKeyStore>> open(embedded::Database& database,
                                                          const ports::Clock& clock);

  // Creates a key under `plan`. kInvalidArgument for an invalid plan or an empty name longer
  // than 128 characters; the database's error when the write fails.
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
  // a flag kept by open(), create() and revoke().
  bool any_quota() const { return any_quota_.load(std::memory_order_acquire); }

  // Counts one request against the quota of `key` for the period containing the clock's now,
  // persistently (one write). kAllowed without writing when the plan has no quota. kExceeded
  // when the period's count already reached the quota (the request is not counted). Fails with
  // the database's error when the write fails (the caller should answer 5xx, not let it pass).
  model::Result<QuotaDecision> consume_quota(const ApiKey& key);
  // Requests counted for `key_id` in the current period (0 when none).
  model::Result<std::int64_t> quota_used(std::string_view key_id, QuotaPeriod period) const;

  ~ApiKeyStore();

 private:
  struct Cached {
    ApiKey key;
    std::string hash;  // 32 raw bytes
  };
  std::optional<ApiKey> find_active(std::string_view secret, bool admin) const;
  ApiKeyStore(embedded::Database& database, const ports::Clock& clock)
      : database_(database), clock_(clock) {}

  embedded::Database& database_;
  const ports::Clock& clock_;
  mutable std::mutex mutex_;
  std::vector<Cached> keys_;  // GUARDED_BY(mutex_), creation order
  std::atomic<bool> any_quota_{false};  // some active key in keys_ has a quota
  void update_any_quota();    // REQUIRES(mutex_)
  // Keys whose quota was found exhausted, with the period start: no write until it rolls over.
  std::map<std::string, std::int64_t, std::less<>> exhausted_;  // GUARDED_BY(mutex_)
};

// SHA-256 of `secret` as 32 raw bytes (what the store keeps).
std::string api_key_hash(std::string_view secret);

}  // namespace cartflow::platform
