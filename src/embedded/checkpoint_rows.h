// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rows of stream_checkpoints (schema version 3; see schema.cpp): where each local stream
// event source mapping resumes. What a position means is the mapping's
// (platform/sqlite_checkpoint_store.h); this file owns how it is stored. Thread-safe as the
// Database is; the Database must outlive each call.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "embedded/database.h"
#include "model/result.h"

namespace cartflow::embedded {

// The position saved for `mapping_id`; std::nullopt before the first save. The database's error
// when it cannot read.
Result<std::optional<std::string>> read_checkpoint_row(Database& database,
                                                       std::string_view mapping_id);

// Saves `position` for `mapping_id` at `now_ms`, replacing the previous one. A deferred write
// (Database::Sync::kDeferred): returns once visible; a power cut can only lose the last saves,
// which moves a mapping back (it redelivers records, at-least-once).
Status save_checkpoint_row(Database& database, std::string_view mapping_id,
                           std::string_view position, std::int64_t now_ms);

}  // namespace cartflow::embedded
