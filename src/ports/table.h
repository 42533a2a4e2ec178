// SPDX-License-Identifier: Apache-2.0
#pragma once

// Table: what the handlers need from a DynamoDB-like table. Implemented by the embedded SQLite
// store (embedded/) and the DynamoDB client (aws/). Every method is safe to call from many
// threads at once. Errors: kConditionFailed when a condition is false (the message says which
// condition), kInvalidArgument for requests DynamoDB would reject with a ValidationException,
// kThrottled / kUnavailable for retryable backend trouble, kInternal otherwise.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/attribute_value.h"
#include "model/expression.h"
#include "model/result.h"

namespace cartflow::ports {

using model::AttributeValue;
using model::Cond;
using model::Item;
using model::Result;
using model::Status;

struct KeySchema {
  std::string hash_name;
  std::optional<std::string> range_name;
};
// Global secondary index, projection ALL, sparse (items lacking its keys are not in it).
struct IndexDescription {
  std::string name;
  KeySchema keys;
};
enum class StreamViewType { kNone, kKeysOnly, kNewImage, kOldImage, kNewAndOldImages };
struct TableDescription {
  std::string name;
  KeySchema keys;
  std::vector<IndexDescription> indexes;
  StreamViewType stream_view = StreamViewType::kNone;
};

enum class ReturnValues { kNone, kAllOld, kAllNew, kUpdatedOld, kUpdatedNew };

struct GetRequest {
  Item key;
  bool consistent_read = true;
  std::optional<model::Projection> projection;
};
struct PutRequest {
  Item item;
  std::optional<Cond> condition;
  ReturnValues return_values = ReturnValues::kNone;  // kNone or kAllOld
};
struct UpdateRequest {
  Item key;
  model::Update update;
  std::optional<Cond> condition;
  ReturnValues return_values = ReturnValues::kNone;
};
struct DeleteRequest {
  Item key;
  std::optional<Cond> condition;
  ReturnValues return_values = ReturnValues::kNone;  // kNone or kAllOld
};
struct ConditionCheck {
  Item key;
  Cond condition;
};

// Result of a single-item write: the attributes asked for by return_values, if any.
struct WriteResult {
  std::optional<Item> attributes;
};

struct QueryRequest {
  std::optional<std::string> index_name;  // empty: the table itself
  model::KeyCondition key_condition;
  std::optional<Cond> filter;             // applied after Limit, as in DynamoDB
  std::optional<model::Projection> projection;
  std::optional<std::size_t> limit;       // items evaluated per page (before the filter)
  std::optional<Item> exclusive_start_key;
  bool scan_forward = true;
  bool consistent_read = false;
};
struct QueryResult {
  std::vector<Item> items;
  std::optional<Item> last_evaluated_key;  // absent on the last page
  std::size_t scanned_count = 0;
};

// A page read by Table::query_plain: its items went into the caller's text.
struct PlainQueryResult {
  std::size_t count = 0;                   // items appended
  std::optional<Item> last_evaluated_key;  // absent on the last page
  std::size_t scanned_count = 0;
};

// Top-level attribute names an answer leaves out (the keys a client never sees).
using AttributeNames = std::span<const std::string_view>;

struct BatchGetResult {
  std::vector<Item> items;          // found items, in no particular order
  std::vector<Item> unprocessed_keys;
};
struct WriteRequest {
  std::variant<PutRequest, DeleteRequest> request;  // conditions are not allowed in batches
};
struct BatchWriteResult {
  std::vector<WriteRequest> unprocessed;  // the caller retries these
};

// One action of a transaction: at most 100 per transaction, each on a different item.
struct TransactAction {
  std::variant<PutRequest, UpdateRequest, DeleteRequest, ConditionCheck> action;
};

class Table {
 public:
  virtual ~Table() = default;

  virtual const TableDescription& describe() const = 0;

  // Returns the item, or std::nullopt when there is none.
  virtual Result<std::optional<Item>> get(const GetRequest& request) = 0;
  virtual Result<WriteResult> put(const PutRequest& request) = 0;
  virtual Result<WriteResult> update(const UpdateRequest& request) = 0;
  virtual Result<WriteResult> remove(const DeleteRequest& request) = 0;
  virtual Result<QueryResult> query(const QueryRequest& request) = 0;

  // Reads for answers that are the items themselves. Each item goes into `out` as a plain JSON
  // object (model::to_plain_json: the document clients' form) without the attributes in
  // `drop`. query_plain appends the page's items separated by commas, with a leading comma
  // when `out` does not end with '[' (so pages can follow each other in one array); get_plain
  // appends the item and returns true, or appends nothing and returns false when there is none.
  // Same requests, errors and pages as query() and get(); these defaults go through them, and
  // a store that can write its items straight as JSON overrides them.
  virtual Result<PlainQueryResult> query_plain(const QueryRequest& request, AttributeNames drop,
                                               std::string& out);
  virtual Result<bool> get_plain(const GetRequest& request, AttributeNames drop,
                                 std::string& out);
  // Up to 100 keys.
  virtual Result<BatchGetResult> batch_get(const std::vector<Item>& keys) = 0;
  // Up to 25 requests.
  virtual Result<BatchWriteResult> batch_write(const std::vector<WriteRequest>& requests) = 0;
  // All actions or none. On a failed condition: kConditionFailed with one CancellationReason per
  // action, in order ("None" for the actions that did not fail).
  // client_request_token makes retries within 10 minutes idempotent, as in DynamoDB.
  virtual Status transact_write(const std::vector<TransactAction>& actions,
                                const std::optional<std::string>& client_request_token) = 0;
};

// Runs `request` to its last page and returns every item, in order; the first error otherwise
// (kInternal after 10,000 pages, a loop no real query makes).
Result<std::vector<Item>> query_all(Table& table, QueryRequest request);

}  // namespace cartflow::ports
