// SPDX-License-Identifier: Apache-2.0
#pragma once

// MemoryTable: a ports::Table in a std::map (keys PK/SK, strings), for benchmarks and tests that
// want the handlers' CPU cost without I/O. get, put and conditional update with DynamoDB
// semantics (conditions and updates evaluated by the model); remove, query, the batches and
// transactions fail with kInternal ("not supported by MemoryTable"). Thread-safe (one mutex).

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"
#include "ports/table.h"

namespace cartflow::support {

class MemoryTable final : public ports::Table {
 public:
  MemoryTable();
  const ports::TableDescription& describe() const override { return description_; }
  model::Result<std::optional<model::Item>> get(const ports::GetRequest& r) override;
  model::Result<ports::WriteResult> put(const ports::PutRequest& r) override;
  // Evaluates the condition on the stored item and applies the update in place (model::apply
  // leaves the item unchanged when it fails), as a store would: no copy of the item.
  model::Result<ports::WriteResult> update(const ports::UpdateRequest& r) override;
  model::Result<ports::WriteResult> remove(const ports::DeleteRequest&) override;
  model::Result<ports::QueryResult> query(const ports::QueryRequest&) override;
  model::Result<ports::BatchGetResult> batch_get(const std::vector<model::Item>&) override;
  model::Result<ports::BatchWriteResult> batch_write(
      const std::vector<ports::WriteRequest>&) override;
  model::Status transact_write(const std::vector<ports::TransactAction>&,
                               const std::optional<std::string>&) override;

 private:
  ports::TableDescription description_;
  const model::Item empty_;
  std::mutex mutex_;
  // Keys compared as views, so that a lookup copies no key strings.
  using Key = std::pair<std::string, std::string>;
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, std::string_view>(a.first, a.second) <
             std::pair<std::string_view, std::string_view>(b.first, b.second);
    }
  };
  std::map<Key, model::Item, KeyLess> items_;  // GUARDED_BY(mutex_)
};

}  // namespace cartflow::support
