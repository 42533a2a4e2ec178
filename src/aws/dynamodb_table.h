// SPDX-License-Identifier: Apache-2.0
#pragma once

// DynamoDbTable: the Table port over DynamoDB's JSON 1.0 protocol (GetItem, PutItem,
// UpdateItem, DeleteItem, Query, BatchGetItem, BatchWriteItem, TransactWriteItems,
// DescribeTable). Expressions are rendered by model::Renderer; items travel as DynamoDB JSON.
// Thread-safe; the JsonClient must outlive the table. Errors as in ports/table.h (mapped by
// to_model_error in aws/retry.h).

#include <map>
#include <memory>
#include <string>

#include "aws/json_client.h"
#include "ports/table.h"

namespace cartflow::aws {

class DynamoDbTable final : public ports::Table {
 public:
  // Describes the table (DescribeTable) and returns a client for it. Fails with kNotFound when
  // the table does not exist.
  static model::Result<std::unique_ptr<DynamoDbTable>> open(JsonClient& client,
                                                            const std::string& table_name);
  DynamoDbTable(JsonClient& client, ports::TableDescription description);

  const ports::TableDescription& describe() const override { return description_; }
  model::Result<std::optional<model::Item>> get(const ports::GetRequest& request) override;
  model::Result<ports::WriteResult> put(const ports::PutRequest& request) override;
  model::Result<ports::WriteResult> update(const ports::UpdateRequest& request) override;
  model::Result<ports::WriteResult> remove(const ports::DeleteRequest& request) override;
  model::Result<ports::QueryResult> query(const ports::QueryRequest& request) override;
  // Unprocessed keys are requested again (with backoff) up to kBatchRetries times; what is
  // still unprocessed after that is returned.
  model::Result<ports::BatchGetResult> batch_get(const std::vector<model::Item>& keys) override;
  // Unprocessed items are sent again the same way.
  model::Result<ports::BatchWriteResult> batch_write(
      const std::vector<ports::WriteRequest>& requests) override;
  // Without a client_request_token, a random one is sent (as the SDKs do), so that the retries
  // of this call are idempotent; separate calls are separate transactions.
  model::Status transact_write(const std::vector<ports::TransactAction>& actions,
                               const std::optional<std::string>& client_request_token) override;

  static constexpr int kBatchRetries = 5;

 private:
  JsonClient& client_;
  ports::TableDescription description_;
};

// Creates a table (PAY_PER_REQUEST) with the description's keys, GSIs (projection ALL) and
// stream, and waits until it is ACTIVE. `attribute_types` gives the scalar type ("S", "N",
// "B") of key attributes; absent ones are "S". For tests and local setups.
model::Status create_table(JsonClient& client, const ports::TableDescription& description,
                           const std::map<std::string, std::string>& attribute_types = {});
// Deletes a table; kNotFound when there is none.
model::Status delete_table(JsonClient& client, const std::string& table_name);

}  // namespace cartflow::aws
