// SPDX-License-Identifier: Apache-2.0
#pragma once

// FaultyTable: a ports::Table decorator for tests. Every call goes to the real table unless a
// fault says otherwise: a global failure (every call fails), a failure per key and operation
// (get/put/update/remove of one PK/SK), or a hook run once before the next call of an operation
// (to race a concurrent writer). Counts calls per operation. Thread-safe; hooks run without the
// lock held, so they may call back into the table.

#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"
#include "ports/table.h"

namespace cartflow::support {

enum class TableOp { kGet, kPut, kUpdate, kRemove, kQuery, kBatchGet, kBatchWrite, kTransactWrite };

class FaultyTable final : public ports::Table {
 public:
  explicit FaultyTable(ports::Table& inner) : inner_(inner) {}

  // While set, every call fails with `failure` (after its hook and its count); nullopt heals.
  void fail_all(std::optional<model::Error> failure);
  // Calls of `op` on the item with this PK/SK fail with `code` ("injected <code name>"). For
  // get, put, update and remove; the other operations have no single key.
  void fail_key(TableOp op, const std::string& pk, const std::string& sk, model::ErrorCode code);
  // Runs `hook` once, just before the next call of `op` (before it is counted).
  void before_next(TableOp op, std::function<void()> hook);

  int calls(TableOp op) const { return calls_[index(op)].load(); }
  // Actions in the last transact_write call.
  std::size_t last_transaction_size() const { return last_transaction_size_.load(); }

  const ports::TableDescription& describe() const override { return inner_.describe(); }
  model::Result<std::optional<model::Item>> get(const ports::GetRequest& r) override;
  model::Result<ports::WriteResult> put(const ports::PutRequest& r) override;
  model::Result<ports::WriteResult> update(const ports::UpdateRequest& r) override;
  model::Result<ports::WriteResult> remove(const ports::DeleteRequest& r) override;
  model::Result<ports::QueryResult> query(const ports::QueryRequest& r) override;
  model::Result<ports::BatchGetResult> batch_get(const std::vector<model::Item>& keys) override;
  model::Result<ports::BatchWriteResult> batch_write(
      const std::vector<ports::WriteRequest>& r) override;
  model::Status transact_write(const std::vector<ports::TransactAction>& actions,
                               const std::optional<std::string>& token) override;

 private:
  static constexpr std::size_t kOps = 8;
  static std::size_t index(TableOp op) { return static_cast<std::size_t>(op); }
  struct KeyFault {
    TableOp op;
    std::string pk, sk;
    model::ErrorCode code;
  };
  // Runs the pending hook of `op`, counts the call, and returns the fault that applies to it
  // (`key`: the item's key, or nullptr for operations without one).
  std::optional<model::Error> enter(TableOp op, const model::Item* key);

  ports::Table& inner_;
  mutable std::mutex mutex_;
  std::optional<model::Error> failure_;                 // GUARDED_BY(mutex_)
  std::vector<KeyFault> key_faults_;                     // GUARDED_BY(mutex_)
  std::array<std::function<void()>, kOps> hooks_;       // GUARDED_BY(mutex_)
  std::array<std::atomic<int>, kOps> calls_{};
  std::atomic<std::size_t> last_transaction_size_{0};
};

}  // namespace cartflow::support
