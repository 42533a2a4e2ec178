// SPDX-License-Identifier: Apache-2.0
#pragma once

// CheckpointStore: where a stream mapping keeps its position durably, so a restart resumes
// after the last record that succeeded (or was filtered out or sent to the on-failure
// destination). The app backs it with the embedded database; the in-memory store is for tests
// and the file store for a plain directory. Implementations are thread-safe.

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "model/result.h"
#include "ports/change_stream.h"

namespace cartflow::platform {

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  // The saved position of `mapping_id`, or std::nullopt when none was ever saved. Fails with
  // kUnavailable when the storage cannot be read.
  virtual model::Result<std::optional<ports::StreamPosition>> load(
      const std::string& mapping_id) = 0;
  // Saves durably before returning (a crash after return keeps it). kUnavailable on failure.
  virtual model::Status save(const std::string& mapping_id,
                             const ports::StreamPosition& position) = 0;
};

class MemoryCheckpointStore final : public CheckpointStore {
 public:
  model::Result<std::optional<ports::StreamPosition>> load(const std::string& mapping_id) override;
  model::Status save(const std::string& mapping_id, const ports::StreamPosition& position) override;
  // Number of save() calls so far (tests check that checkpoints move only when they should).
  int saves() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, ports::StreamPosition> positions_;  // GUARDED_BY(mutex_)
  int saves_ = 0;                                           // GUARDED_BY(mutex_)
};

// One file per mapping in `directory` (which must exist), replaced atomically (write a temp
// file, fsync, rename, fsync the directory).
class FileCheckpointStore final : public CheckpointStore {
 public:
  explicit FileCheckpointStore(std::string directory) : directory_(std::move(directory)) {}
  model::Result<std::optional<ports::StreamPosition>> load(const std::string& mapping_id) override;
  model::Status save(const std::string& mapping_id, const ports::StreamPosition& position) override;

 private:
  std::string path_of(const std::string& mapping_id) const;
  std::string directory_;
  std::mutex mutex_;  // serializes saves of the same file
};

}  // namespace cartflow::platform
