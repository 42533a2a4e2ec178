// SPDX-License-Identifier: Apache-2.0
#include "embedded/checkpoint_rows.h"

#include <utility>

namespace cartflow::embedded {

Result<std::optional<std::string>> read_checkpoint_row(Database& database,
                                                       std::string_view mapping_id) {
  std::optional<std::string> found;
  Status status = database.read([&](Connection& c) -> Status {
    auto stmt = c.prepare("SELECT position FROM stream_checkpoints WHERE mapping_id = ?");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, mapping_id);
    return (*stmt)->step_one([&](const Statement& row) { found = row.column_text(0); });
  });
  if (!status.ok()) return std::move(status).error();
  return found;
}

Status save_checkpoint_row(Database& database, std::string_view mapping_id,
                           std::string_view position, std::int64_t now_ms) {
  return database.write([&](Connection& c) -> Status {
    auto stmt = c.prepare(
        "INSERT INTO stream_checkpoints(mapping_id, position, updated_ms) VALUES (?, ?, ?) "
        "ON CONFLICT(mapping_id) DO UPDATE SET position = excluded.position, "
        "updated_ms = excluded.updated_ms");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, mapping_id).bind_text(2, position).bind(3, now_ms);
    return (*stmt)->run();
  }, Database::Sync::kDeferred);
}

}  // namespace cartflow::embedded
