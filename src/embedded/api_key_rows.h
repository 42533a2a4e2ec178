// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rows of the local API Gateway's tables in the Database: api_keys (schema version 2, the
// admin column version 4) and api_key_usage (version 2); see schema.cpp. What the rows mean
// (secrets, usage plans, quota periods) is platform/api_keys.h's; this file owns how they are
// stored. Thread-safe as the Database is; the Database must outlive each call.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "embedded/database.h"
#include "model/result.h"

namespace cartflow::embedded {

// One row of api_keys. Never the secret: its SHA-256.
struct ApiKeyRow {
  std::string id;
  std::string name;
  std::string key_hash;  // 32 raw bytes, stored as a BLOB
  std::int64_t created_ms = 0;
  bool revoked = false;  // revoked_ms is set (reads only; a new row is never revoked)
  double rate = 0;
  std::int64_t burst = 0;
  std::int64_t quota_limit = 0;
  std::string quota_period;  // "DAY", "WEEK", "MONTH" or ""
  bool admin = false;
};

// Every key, oldest first (same millisecond: by id). The database's error when it cannot read.
Result<std::vector<ApiKeyRow>> read_api_key_rows(Database& database);

// Stores a new key (durable write). The database's error, or kInternal for a duplicate id or
// hash (a UNIQUE constraint).
Status insert_api_key_row(Database& database, const ApiKeyRow& row);

// Sets revoked_ms of key `id` to `now_ms` unless it is revoked already (durable write); an
// unknown id changes nothing and succeeds.
Status mark_api_key_row_revoked(Database& database, std::string_view id, std::int64_t now_ms);

// Adds one to the count of `key_id` for the period starting at `period_start_ms` unless the
// count has reached `quota_limit` (one durable write): true when counted, false when the quota
// was reached. The database's error when the write fails.
Result<bool> count_api_key_request(Database& database, std::string_view key_id,
                                   std::int64_t period_start_ms, std::int64_t quota_limit);

// The count of `key_id` for the period starting at `period_start_ms` (0 when none).
Result<std::int64_t> read_api_key_usage(Database& database, std::string_view key_id,
                                        std::int64_t period_start_ms);

}  // namespace cartflow::embedded
