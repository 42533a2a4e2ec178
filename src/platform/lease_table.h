// SPDX-License-Identifier: Apache-2.0
#pragma once

// LeaseTable: the leases by which several processes split a sharded change stream
// (ports/shard_stream.h), one per shard, in a DynamoDB-like table (ports::Table: DynamoDB with
// --backend aws), as the Kinesis Client Library keeps them.
//
// Items (keys PK and SK, both S; no stream, no index): PK the stream's id (its ARN: a new
// stream starts with no lease), SK the shard id; owner (S, absent while the lease is free),
// counter (N, +1 on every write: the lease's version), checkpoint (S: TRIM_HORIZON, SHARD_END or
// the SequenceNumber of the last record processed), parents (SS, absent when none).
//
// Every write is conditional on the lease as the caller last read or wrote it: create on the
// item being absent, the others on its counter (and its owner: absent for take() of a free
// lease, the caller for renew, checkpoint and release). A write that loses a race fails with
// kConditionFailed and changes nothing, so two processes never both believe they won the same
// version. Thread-safe as the table is; the table must outlive the object.

#include <cstdint>
#include <string>
#include <vector>

#include "model/result.h"
#include "ports/table.h"

namespace cartflow::platform {

struct Lease {
  std::string shard;
  std::string owner;  // "" while free
  std::int64_t counter = 0;
  std::string checkpoint;
  std::vector<std::string> parents;
  bool operator==(const Lease&) const = default;
};

// The lease table's description: `name`, keys PK and SK, no index, no stream.
ports::TableDescription lease_table_description(std::string name);

class LeaseTable {
 public:
  LeaseTable(ports::Table& table, std::string stream_id)
      : table_(table), stream_id_(std::move(stream_id)) {}

  // Every lease of the stream (a strongly consistent Query, all pages), by shard id.
  model::Result<std::vector<Lease>> list() const;
  // Writes `lease` (owner ignored: created free, counter 0) if the shard has none yet.
  // kConditionFailed when it has.
  model::Result<Lease> create(const Lease& lease);
  // Takes `lease` (as read by list()) for `owner`. The lease as written, or kConditionFailed when
  // it changed since it was read (renewed, taken, checkpointed by someone).
  model::Result<Lease> take(const Lease& lease, const std::string& owner);
  // Renews `lease` (held by lease.owner): counter + 1. kConditionFailed: it was lost.
  model::Result<Lease> renew(const Lease& lease);
  // Stores `checkpoint` in `lease` (held by lease.owner). kConditionFailed: it was lost.
  model::Result<Lease> checkpoint(const Lease& lease, const std::string& checkpoint);
  // Frees `lease` (held by lease.owner), keeping its checkpoint. kConditionFailed: it was lost.
  model::Result<Lease> release(const Lease& lease);
  // Deletes `lease` (as read by list()) if unchanged since. kConditionFailed when it changed.
  model::Status remove(const Lease& lease);

 private:
  model::Result<Lease> write(const Lease& from, Lease to);

  ports::Table& table_;
  const std::string stream_id_;
};

}  // namespace cartflow::platform
