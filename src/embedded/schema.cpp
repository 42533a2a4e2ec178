// SPDX-License-Identifier: Apache-2.0
#include "embedded/schema.h"

#include <string>
#include <vector>

#include "embedded/database.h"
#include "embedded/queue_schema.h"

namespace cartflow::embedded {

namespace {

// Version 1: tables (items + GSI entries), their change streams, transaction tokens, queues.
// Keys are BLOBs encoded so that memcmp order is DynamoDB's order (see key_codec.h); every row
// carries the name of its table so several tables share one file.
constexpr const char* kTableSchemaV1 = R"sql(
CREATE TABLE items(
  tbl TEXT NOT NULL,
  pk BLOB NOT NULL,
  sk BLOB NOT NULL,
  item BLOB NOT NULL,
  PRIMARY KEY (tbl, pk, sk)
) WITHOUT ROWID;
CREATE TABLE gsi_entries(
  tbl TEXT NOT NULL,
  idx TEXT NOT NULL,
  pk BLOB NOT NULL,
  sk BLOB NOT NULL,
  base_pk BLOB NOT NULL,
  base_sk BLOB NOT NULL,
  PRIMARY KEY (tbl, idx, pk, sk, base_pk, base_sk)
) WITHOUT ROWID;
CREATE TABLE stream_records(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl TEXT NOT NULL,
  event_name INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  view_type INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL,
  keys BLOB NOT NULL,
  new_image BLOB,
  old_image BLOB
);
CREATE INDEX stream_records_by_table ON stream_records(tbl, seq);
CREATE TABLE stream_trim(
  tbl TEXT PRIMARY KEY,
  trimmed_through INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE transact_tokens(
  tbl TEXT NOT NULL,
  token TEXT NOT NULL,
  request_hash BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (tbl, token)
) WITHOUT ROWID;
)sql";

struct Migration {
  int version;
  std::vector<const char*> statements;
};

// Ordered; append new versions at the end and bump Database::kSchemaVersion.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, {kTableSchemaV1, kQueueSchemaV1}},
      // Version 2: the local API Gateway's API keys (SHA-256 hashes only, never the secret) and
      // their usage-plan quota counters, one row per key and quota period (read and written by
      // api_key_rows.cpp for platform/api_keys).
      {2, {R"sql(
CREATE TABLE api_keys(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash BLOB NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  revoked_ms INTEGER,
  rate REAL NOT NULL,
  burst INTEGER NOT NULL,
  quota_limit INTEGER NOT NULL,
  quota_period TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_key_usage(
  key_id TEXT NOT NULL,
  period_start_ms INTEGER NOT NULL,
  used INTEGER NOT NULL,
  PRIMARY KEY (key_id, period_start_ms)
) WITHOUT ROWID;
)sql"}},
      // Version 3: durable checkpoints of the local stream event source mappings (read and
      // written by checkpoint_rows.cpp for platform/sqlite_checkpoint_store).
      {3, {R"sql(
CREATE TABLE stream_checkpoints(
  mapping_id TEXT PRIMARY KEY,
  position TEXT NOT NULL,
  updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql"}},
      // Version 4: admin API keys, which open the operations console (`cartflow keys create
      // --admin`; api_key_rows.cpp).
      {4, {"ALTER TABLE api_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;"}},
  };
  return kMigrations;
}

}  // namespace

Result<int> schema_version(Connection& connection) {
  auto stmt = connection.prepare("PRAGMA user_version");
  if (!stmt.ok()) return std::move(stmt).error();
  auto row = (*stmt)->step();
  if (!row.ok()) return std::move(row).error();
  int version = *row ? static_cast<int>((*stmt)->column_int(0)) : 0;
  (*stmt)->reset();
  return version;
}

Status migrate(Connection& writer, const std::string& path) {
  auto current = schema_version(writer);
  if (!current.ok()) return std::move(current).error();
  if (*current > Database::kSchemaVersion) {
    return Error::unavailable("database schema version " + std::to_string(*current) +
                              " is newer than this cartflow supports (" +
                              std::to_string(Database::kSchemaVersion) + "): " + path);
  }
  for (const Migration& m : migrations()) {
    if (m.version <= *current) continue;
    if (auto s = writer.exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    Status result;
    for (const char* sql : m.statements) {
      if (sql == nullptr || *sql == '\0') continue;
      result = writer.exec(sql);
      if (!result.ok()) break;
    }
    if (result.ok()) result = writer.exec("PRAGMA user_version = " + std::to_string(m.version));
    if (result.ok()) result = writer.exec("COMMIT");
    if (!result.ok()) {
      (void)writer.exec("ROLLBACK");
      Error e = std::move(result).error();
      e.message = "migration to schema version " + std::to_string(m.version) + " failed: " +
                  e.message;
      return e;
    }
  }
  return {};
}

}  // namespace cartflow::embedded
