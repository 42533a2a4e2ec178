// SPDX-License-Identifier: Apache-2.0
#pragma once

// ShardedChangeStream: a change stream seen as its shards, as DynamoDB Streams is, so that
// several processes can split it (platform/lease_coordinator.h). A shard is an ordered log of
// its own; a shard that is split or closed ends (SHARD_END) and its children continue it, so a
// child is read only after its parents were read to their end. Thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "model/result.h"
#include "ports/change_stream.h"

namespace cartflow::ports {

struct ShardDescription {
  std::string id;
  std::vector<std::string> parents;  // empty for a shard without parent
  bool closed = false;               // ends once read: no record is added any more
};

// A shard's checkpoint as the Kinesis Client Library writes it in its leases: nothing read yet,
// read to its end, or the SequenceNumber of the last record processed.
inline constexpr const char* kTrimHorizon = "TRIM_HORIZON";
inline constexpr const char* kShardEnd = "SHARD_END";

class ShardedChangeStream {
 public:
  virtual ~ShardedChangeStream() = default;

  // The shards the stream retains now (trimmed ones are gone). kUnavailable and the like when
  // the stream cannot be described.
  virtual model::Result<std::vector<ShardDescription>> list_shards() = 0;

  // The shard `id` alone as a ChangeStream (latest() and read() see only its records; parents
  // are not waited for: that is the caller's business). Never null; an unknown shard reads as
  // empty. The view is thread-safe and must not outlive this object.
  virtual std::unique_ptr<ChangeStream> open_shard(const std::string& id) = 0;

  // Converts between a position of open_shard(shard) and a checkpoint (kTrimHorizon,
  // kShardEnd or a SequenceNumber). Pure; checkpoint_of() of a malformed position is kTrimHorizon.
  virtual std::string checkpoint_of(const std::string& shard, const StreamPosition& position) const = 0;
  virtual StreamPosition position_at(const std::string& shard, const std::string& checkpoint) const = 0;
};

}  // namespace cartflow::ports
