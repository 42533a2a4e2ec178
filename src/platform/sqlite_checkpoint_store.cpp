// SPDX-License-Identifier: Apache-2.0
#include "platform/sqlite_checkpoint_store.h"

#include "embedded/checkpoint_rows.h"

namespace cartflow::platform {

model::Result<std::optional<ports::StreamPosition>> SqliteCheckpointStore::load(
    const std::string& mapping_id) {
  auto row = embedded::read_checkpoint_row(database_, mapping_id);
  if (!row.ok()) return std::move(row).error();
  if (!*row) return std::optional<ports::StreamPosition>();
  return std::optional<ports::StreamPosition>(ports::StreamPosition{std::move(**row)});
}

model::Status SqliteCheckpointStore::save(const std::string& mapping_id,
                                          const ports::StreamPosition& position) {
  // Deferred (no fsync of its own): a checkpoint lost to a power cut only redelivers records.
  return embedded::save_checkpoint_row(database_, mapping_id, position.token, clock_.now_ms());
}

}  // namespace cartflow::platform
