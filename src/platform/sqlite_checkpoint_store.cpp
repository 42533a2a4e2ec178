// SPDX-License-Identifier: Apache-2.0
#include "platform/sqlite_checkpoint_store.h"

namespace cartflow::platform {

model::Result<std::optional<ports::StreamPosition>> SqliteCheckpointStore::load(
    const std::string& mapping_id) {
  std::optional<ports::StreamPosition> found;
  model::Status status = database_.read([&](embedded::Connection& c) -> model::Status {
    auto stmt = c.prepare("SELECT position FROM stream_checkpoints WHERE mapping_id = ?");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, mapping_id);
    auto row = (*stmt)->step();
    if (!row.ok()) return std::move(row).error();
    if (*row) found = ports::StreamPosition{(*stmt)->column_text(0)};
    (*stmt)->reset();
    return {};
  });
  if (!status.ok()) return std::move(status).error();
  return found;
}

model::Status SqliteCheckpointStore::save(const std::string& mapping_id,
                                          const ports::StreamPosition& position) {
  const std::int64_t now = clock_.now_ms();
  // Deferred (no fsync of its own): a checkpoint lost to a power cut only redelivers records.
  return database_.write([&](embedded::Connection& c) -> model::Status {
    auto stmt = c.prepare(
        "INSERT INTO stream_checkpoints(mapping_id, position, updated_ms) VALUES (?, ?, ?) "
        "ON CONFLICT(mapping_id) DO UPDATE SET position = excluded.position, "
        "updated_ms = excluded.updated_ms");
    if (!stmt.ok()) return std::move(stmt).error();
    (*stmt)->bind_text(1, mapping_id).bind_text(2, position.token).bind(3, now);
    return (*stmt)->run();
  }, embedded::Database::Sync::kDeferred);
}

}  // namespace cartflow::platform
