// SPDX-License-Identifier: Apache-2.0
#include "embedded/api_key_rows.h"

#include <cstdio>
#include <utility>

namespace cartflow::embedded {
namespace {

// A rate as text with every digit a double has (the REAL column converts it back exactly).
std::string format_rate(double rate) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", rate);
  return buf;
}

constexpr const char* kSelectKeys =
    "SELECT id, name, key_hash, created_ms, revoked_ms IS NOT NULL, rate, burst, quota_limit, "
    "quota_period, admin FROM api_keys ORDER BY created_ms, id";

ApiKeyRow read_row(const Statement& st) {
  ApiKeyRow row;
  row.id = st.column_text(0);
  row.name = st.column_text(1);
  row.key_hash = st.column_text(2);
  row.created_ms = st.column_int(3);
  row.revoked = st.column_int(4) != 0;
  row.rate = std::stod(st.column_text(5));
  row.burst = st.column_int(6);
  row.quota_limit = st.column_int(7);
  row.quota_period = st.column_text(8);
  row.admin = st.column_int(9) != 0;
  return row;
}

}  // namespace

Result<std::vector<ApiKeyRow>> read_api_key_rows(Database& database) {
  std::vector<ApiKeyRow> rows;
  Status s = database.read([&](Connection& c) -> Status {
    auto stmt = c.prepare(kSelectKeys);
    if (!stmt.ok()) return std::move(stmt).error();
    while (true) {
      auto row = (*stmt)->step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) break;
      rows.push_back(read_row(**stmt));
    }
    (*stmt)->reset();
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return rows;
}

Status insert_api_key_row(Database& database, const ApiKeyRow& row) {
  return database.write([&](Connection& c) -> Status {
    auto stmt = c.prepare(
        "INSERT INTO api_keys(id, name, key_hash, created_ms, revoked_ms, rate, burst, "
        "quota_limit, quota_period, admin) VALUES(?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, row.id)
        .bind_text(2, row.name)
        .bind_blob(3, row.key_hash)
        .bind(4, row.created_ms)
        .bind_text(5, format_rate(row.rate))
        .bind(6, row.burst)
        .bind(7, row.quota_limit)
        .bind_text(8, row.quota_period)
        .bind(9, static_cast<std::int64_t>(row.admin ? 1 : 0));
    return (*stmt)->run();
  });
}

Status mark_api_key_row_revoked(Database& database, std::string_view id, std::int64_t now_ms) {
  return database.write([&](Connection& c) -> Status {
    auto stmt = c.prepare("UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind(1, now_ms).bind_text(2, id);
    return (*stmt)->run();
  });
}

Result<bool> count_api_key_request(Database& database, std::string_view key_id,
                                   std::int64_t period_start_ms, std::int64_t quota_limit) {
  bool counted = false;
  Status s = database.write([&](Connection& c) -> Status {
    auto stmt = c.prepare(
        "INSERT INTO api_key_usage(key_id, period_start_ms, used) VALUES(?, ?, 1) "
        "ON CONFLICT(key_id, period_start_ms) DO UPDATE SET used = used + 1 WHERE used < ?");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, key_id).bind(2, period_start_ms).bind(3, quota_limit);
    if (auto r = (*stmt)->run(); !r.ok()) return r;
    counted = c.changes() > 0;
    return {};
  });
  if (!s.ok()) return std::move(s).error();
  return counted;
}

Result<std::int64_t> read_api_key_usage(Database& database, std::string_view key_id,
                                        std::int64_t period_start_ms) {
  std::int64_t used = 0;
  Status s = database.read([&](Connection& c) -> Status {
    auto stmt =
        c.prepare("SELECT used FROM api_key_usage WHERE key_id = ? AND period_start_ms = ?");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, key_id).bind(2, period_start_ms);
    return (*stmt)->step_one([&](const Statement& row) { used = row.column_int(0); });
  });
  if (!s.ok()) return std::move(s).error();
  return used;
}

}  // namespace cartflow::embedded
