// SPDX-License-Identifier: Apache-2.0
#pragma once

// SqliteTable: a DynamoDB table stored in the embedded Database. Items live in `items`, GSI
// entries in `gsi_entries` (maintained in the same transaction as the item), and every write
// that changes an item appends one record to `stream_records` in that same transaction, read
// back by SqliteChangeStream. Several tables can share one Database (rows carry the table name).
//
// Semantics follow DynamoDB: key attributes must be present with type S, N or B and non-empty;
// items are limited to 400 KB; conditions fail with kConditionFailed "The conditional request
// failed"; queries read at most 1 MB or `limit` items per page before the filter; transactions
// are all-or-nothing with CancellationReasons. Every write goes through Database::write (group
// commit), so an acknowledged write is durable per DatabaseOptions::durable.
//
// Transactions cancelled only by ValidationError reasons fail with kInvalidArgument, those with
// at least one ConditionalCheckFailed with kConditionFailed; both carry one reason per action.
// Thread-safe: any number of threads may call any method.

#include <memory>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "ports/clock.h"
#include "ports/table.h"

namespace cartflow::embedded {

struct SqliteTableOptions {
  // Partition key values (strings) of read-mostly partitions, such as the catalog's: plain
  // reads of their items (get_plain, and query_plain pages of the table itself) are answered
  // from memory until a commit changes an item of one of them (embedded/read_cache.h). Empty,
  // or a Database opened read-only (another process writes it): nothing is cached.
  std::vector<std::string> cached_partitions;
};

struct RowKey;
class ReadCache;

class SqliteTable final : public ports::Table {
 public:
  // `db` and `clock` must outlive the table. The description is not stored in the file: a
  // table is whatever its description says each time it is constructed (like a schema in
  // code); changing its GSIs on an existing file requires a rebuild (not supported yet).
  SqliteTable(Database& db, ports::TableDescription description, const ports::Clock& clock,
              SqliteTableOptions options = {});
  // Uses the system clock.
  SqliteTable(Database& db, ports::TableDescription description);

  const ports::TableDescription& describe() const override { return description_; }

  Result<std::optional<model::Item>> get(const ports::GetRequest& request) override;
  Result<ports::WriteResult> put(const ports::PutRequest& request) override;
  Result<ports::WriteResult> update(const ports::UpdateRequest& request) override;
  Result<ports::WriteResult> remove(const ports::DeleteRequest& request) override;
  Result<ports::QueryResult> query(const ports::QueryRequest& request) override;
  // Written straight from the stored bytes (table_codec.h: append_plain_json) unless the
  // request has a projection or a filter.
  Result<ports::PlainQueryResult> query_plain(const ports::QueryRequest& request,
                                              ports::AttributeNames drop,
                                              std::string& out) override;
  Result<bool> get_plain(const ports::GetRequest& request, ports::AttributeNames drop,
                         std::string& out) override;
  Result<ports::BatchGetResult> batch_get(const std::vector<model::Item>& keys) override;
  Result<ports::BatchWriteResult> batch_write(
      const std::vector<ports::WriteRequest>& requests) override;
  Status transact_write(const std::vector<ports::TransactAction>& actions,
                        const std::optional<std::string>& client_request_token) override;

  // Page size limit of a query (DynamoDB: 1 MB of items read). For tests.
  static constexpr std::size_t kMaxPageBytes = 1024 * 1024;
  static constexpr std::size_t kMaxBatchGet = 100;
  static constexpr std::size_t kMaxBatchWrite = 25;
  static constexpr std::size_t kMaxTransactActions = 100;
  static constexpr std::int64_t kTokenLifetimeMs = 10 * 60 * 1000;

 private:
  Result<bool> get_plain_cached(const RowKey& key, ports::AttributeNames drop, std::string& out);

  Database& db_;
  ports::TableDescription description_;
  ports::SystemClock system_clock_;
  const ports::Clock& clock_;
  std::shared_ptr<ReadCache> cache_;  // null unless options.cached_partitions
};

}  // namespace cartflow::embedded
