// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqliteChangeStream: the change stream of one SqliteTable, read from `stream_records` where
// the table's writes append their records in the write's own transaction (so a record exists
// if and only if its change committed). Sequence numbers are 21-digit zero-padded decimals of
// a database-wide counter that never goes back (AUTOINCREMENT), positions are the sequence
// number of the last record read. Records older than the retention are removed by trim().
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <string>

#include "embedded/database.h"
#include "ports/change_stream.h"
#include "ports/clock.h"

namespace cartflow::embedded {

class SqliteChangeStream final : public ports::ChangeStream {
 public:
  static constexpr std::chrono::milliseconds kDefaultRetention = std::chrono::hours(24);

  // `db` and `clock` must outlive the stream. `table_name` is the SqliteTable's name.
  SqliteChangeStream(Database& db, std::string table_name, const ports::Clock& clock,
                     std::chrono::milliseconds retention = kDefaultRetention);

  Result<ports::StreamPosition> latest() override;
  // Fails with kInvalidArgument for a malformed position, kNotFound
  // "TrimmedDataAccessException: ..." for a position before trimmed records.
  Result<ports::StreamBatch> read(const ports::StreamPosition& after, std::size_t limit,
                                  std::chrono::milliseconds wait) override;

  // Deletes the records created before now - retention; returns how many were deleted.
  Result<std::int64_t> trim();

 private:
  Database& db_;
  std::string table_;
  const ports::Clock& clock_;
  std::chrono::milliseconds retention_;
};

// Appends one stream record for the change old -> new_item (null: absent) of the item with `keys` (the write
// path calls this inside its savepoint). Images kept per `view` (kNone appends nothing).
// `new_encoded`, when given, is encode_item(*new_item), already made for the item row.
Status append_stream_record(Connection& c, const std::string& table, ports::StreamViewType view,
                            const model::Item& keys, const model::Item* old_item,
                            const model::Item* new_item, std::int64_t now_ms,
                            const std::string* new_encoded = nullptr);

}  // namespace cartflow::embedded
