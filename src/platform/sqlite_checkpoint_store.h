// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqliteCheckpointStore: stream mapping checkpoints in the embedded database (table
// stream_checkpoints, schema version 3; its SQL in embedded/checkpoint_rows.h), so `cartflow
// serve` resumes after a restart exactly after the last record that was resolved. save()
// returns once its commit is visible; it is a deferred write (on disk with the next durable
// commit): a power cut can only move the checkpoint back, which redelivers records
// (at-least-once).
// Thread-safe; the database must outlive the store.

#include <optional>
#include <string>

#include "embedded/database.h"
#include "platform/stream_mapping_checkpoint.h"
#include "ports/clock.h"

namespace cartflow::platform {

class SqliteCheckpointStore final : public CheckpointStore {
 public:
  SqliteCheckpointStore(embedded::Database& database, const ports::Clock& clock)
      : database_(database), clock_(clock) {}

  model::Result<std::optional<ports::StreamPosition>> load(const std::string& mapping_id) override;
  model::Status save(const std::string& mapping_id, const ports::StreamPosition& position) override;

 private:
  embedded::Database& database_;
  const ports::Clock& clock_;
};

}  // namespace cartflow::platform
