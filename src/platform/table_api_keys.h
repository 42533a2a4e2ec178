// SPDX-License-Identifier: Apache-2.0
#pragma once

// TableApiKeyStore: the API keys and usage counters (platform/api_keys.h) in a DynamoDB-like
// table of their own (ports::Table: DynamoDB for `--backend aws`), so that every process on the
// table shares them: a key created by one instance authenticates on another, a revocation
// reaches every instance, and a quota counts the requests of all instances together.
//
// Items (keys PK and SK, both S; no stream, no index):
// - a key: PK "KEY", SK its id; name (S), key_hash (S, hex of the secret's SHA-256; never the
//   secret), created_ms (N), revoked_ms (N, once revoked), rate (N), burst (N), quota (N),
//   quota_period (S: "", DAY, WEEK, MONTH), admin (BOOL).
// - a usage counter: PK "USAGE#<key id>", SK the period's start in Unix ms (S, decimal); used
//   (N), counted by one conditional atomic update per request
//   (ADD used 1 IF attribute_not_exists(used) OR used < quota), so concurrent instances never
//   count past the quota.
//
// Cache: open() reads every key (Query PK = "KEY", consistent); authentication compares with
// the cache only, as the embedded store does. The cache is read again
// - on a miss (a secret matching no cached key, or a revoke of an unknown id): at most once per
//   `miss_refresh_interval`, so a key just created on another instance works at its first use
//   and a stream of unknown secrets costs at most one Query per interval;
// - when `refresh_interval` has passed since the last read, at the next authentication: so a
//   key revoked on another instance is refused here at most `refresh_interval` (plus one Query)
//   after the revoke.
// A failed read keeps the cache (the next interval tries again). Reads run on the calling
// thread; one thread reads at a time, the others use the cache meanwhile. A key this store
// creates is in its cache at once; a read that began before the create may drop it again, and
// the next miss read brings it back.
//
// Threading: thread-safe. The table and the clock must outlive the store.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "platform/api_keys.h"
#include "ports/clock.h"
#include "ports/table.h"

namespace cartflow::platform {

struct TableApiKeyStoreOptions {
  std::chrono::milliseconds refresh_interval{10'000};
  std::chrono::milliseconds miss_refresh_interval{1'000};
};

// The keys table's description: `name`, keys PK and SK, no index, no stream.
ports::TableDescription api_keys_table_description(std::string name);

class TableApiKeyStore final : public ApiKeyStore {
 public:
  // Reads the keys from `table`. Fails with the table's error (kNotFound: no such table,
  // kUnavailable: unreachable).
  static model::Result<std::unique_ptr<TableApiKeyStore>> open(
      ports::Table& table, const ports::Clock& clock, TableApiKeyStoreOptions options = {});

 private:
  TableApiKeyStore(ports::Table& table, const ports::Clock& clock, TableApiKeyStoreOptions options)
      : ApiKeyStore(clock), table_(table), options_(options) {}

  model::Status load() const;
  model::Status insert(const Cached& key) override;
  model::Status mark_revoked(std::string_view id, std::int64_t now_ms) override;
  model::Result<bool> count_request(const ApiKey& key, std::int64_t period_start_ms) override;
  model::Result<std::int64_t> read_used(std::string_view key_id,
                                        std::int64_t period_start_ms) const override;
  bool refresh(bool miss) const override;

  ports::Table& table_;
  const TableApiKeyStoreOptions options_;
  mutable std::mutex refresh_mutex_;
  mutable std::int64_t loaded_ms_ = 0;     // GUARDED_BY(refresh_mutex_): last read started
  mutable std::int64_t miss_read_ms_ = 0;  // GUARDED_BY(refresh_mutex_): last read for a miss
  mutable bool miss_read_done_ = false;    // GUARDED_BY(refresh_mutex_)
};

}  // namespace cartflow::platform
