// SPDX-License-Identifier: Apache-2.0
#pragma once

// ChangeStream: the table's change log, like DynamoDB Streams. Records appear in commit order,
// each exactly once, and are read after a position that the reader stores durably (its
// checkpoint). Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/attribute_value.h"
#include "model/result.h"
#include "ports/table.h"

namespace cartflow::ports {

enum class StreamEventName { kInsert, kModify, kRemove };
const char* stream_event_name(StreamEventName name);  // "INSERT", "MODIFY", "REMOVE"

struct StreamRecord {
  std::string event_id;
  StreamEventName event_name = StreamEventName::kInsert;
  std::string sequence_number;  // decimal digits; increasing in commit order
  std::int64_t approximate_creation_ms = 0;
  model::Item keys;
  std::optional<model::Item> new_image;  // per the stream view type
  std::optional<model::Item> old_image;
  std::size_t size_bytes = 0;
  StreamViewType view_type = StreamViewType::kNewImage;
};

// An opaque, serializable position in the stream. Empty means "before the oldest record still
// retained" (TRIM_HORIZON).
struct StreamPosition {
  std::string token;
  bool operator==(const StreamPosition&) const = default;
};

struct StreamBatch {
  std::vector<StreamRecord> records;
  StreamPosition next;  // position after the last record returned (== `after` when none)
};

class ChangeStream {
 public:
  virtual ~ChangeStream() = default;

  // Position after the newest record now in the stream (StartingPosition LATEST).
  virtual Result<StreamPosition> latest() = 0;
  // Position of the oldest retained record (StartingPosition TRIM_HORIZON).
  virtual StreamPosition trim_horizon() const { return {}; }

  // Up to `limit` records after `after`, waiting up to `wait` for the first one when there is
  // none yet (no busy polling). Fails with kNotFound ("TrimmedDataAccessException") when
  // `after` points before records that were trimmed.
  virtual Result<StreamBatch> read(const StreamPosition& after, std::size_t limit,
                                   std::chrono::milliseconds wait) = 0;
};

}  // namespace cartflow::ports
