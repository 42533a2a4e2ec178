// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the embedded layer: the row-level operations shared by SqliteTable's single-item
// writes, batches and transactions. All functions run on a Connection the caller owns (the
// writer's, inside Database::write, for the mutating ones).

#include <functional>
#include <optional>
#include <string>

#include "embedded/sqlite.h"
#include "model/attribute_value.h"
#include "model/expression.h"
#include "ports/table.h"

namespace cartflow::embedded {

// Encoded primary key of one item, plus the key attributes themselves.
struct RowKey {
  std::string pk;
  std::string sk;  // empty for tables without a sort key
  model::Item attributes;
  bool operator==(const RowKey& other) const { return pk == other.pk && sk == other.sk; }
};

// Validates a key as DynamoDB does and encodes it. `exact`: the item must hold only the key
// attributes (GetItem/DeleteItem keys); otherwise extra attributes are allowed (PutItem).
// Fails with kInvalidArgument (ValidationException wording).
Result<RowKey> row_key(const ports::KeySchema& schema, const model::Item& item, bool exact);

// Index keys of an item for one GSI, or nullopt when the item is not in the index (sparse).
struct IndexKey {
  std::string pk;
  std::string sk;
};
std::optional<IndexKey> index_key(const ports::IndexDescription& index, const model::Item& item);

// Checks the 400 KB limit, DynamoDB's structural rules and that no GSI key attribute is an
// empty string or binary. Fails with kInvalidArgument. (GSI key attributes of a type other than
// S, N or B are accepted and leave the item out of the index: the description has no attribute
// types; see docs/KNOWN_DIFFERENCES.md.)
Status validate_item_for_write(const ports::TableDescription& table, const model::Item& item);

// Fails with kInvalidArgument "Cannot update attribute X. This attribute is part of the key"
// when an update touches a key attribute.
Status check_update_keys(const ports::KeySchema& schema, const model::Update& update);

// Calls `use` with the stored encoding of the item at `key` (valid during the call) and returns
// its status; sets `found`, and does not call `use` when there is no item.
Status visit_item_bytes(Connection& c, const std::string& table, const RowKey& key,
                        bool& found, const std::function<Status(std::string_view)>& use);
// Reads the current item (nullopt when absent).
Result<std::optional<model::Item>> load_item(Connection& c, const std::string& table,
                                             const RowKey& key);

// Writes the change old -> new_item (either may be absent: null) of the item at `key`: the item row,
// its GSI entries, and a stream record when the table has a stream. Callers skip unchanged
// items (old == new) so that they append nothing.
Status store_change(Connection& c, const ports::TableDescription& table, const RowKey& key,
                    const model::Item* old_item, const model::Item* new_item, std::int64_t now_ms);
inline Status store_change(Connection& c, const ports::TableDescription& table, const RowKey& key,
                           const std::optional<model::Item>& old_item,
                           const std::optional<model::Item>& new_item, std::int64_t now_ms) {
  return store_change(c, table, key, old_item ? &*old_item : nullptr,
                      new_item ? &*new_item : nullptr, now_ms);
}

// True when both are absent or both present and equal.
bool same_item(const std::optional<model::Item>& a, const std::optional<model::Item>& b);

// The message DynamoDB gives for a failed ConditionExpression.
inline constexpr const char* kConditionFailedMessage = "The conditional request failed";

}  // namespace cartflow::embedded
