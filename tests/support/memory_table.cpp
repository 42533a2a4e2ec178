// SPDX-License-Identifier: Apache-2.0
#include "support/memory_table.h"

#include "model/expression.h"

namespace cartflow::support {

using model::Error;
using model::Item;
using model::Result;

namespace {

Error unsupported() { return Error::internal("not supported by MemoryTable"); }

// Views into `item`.
std::pair<std::string_view, std::string_view> key_of(const Item& item) {
  return {*item.at("PK").as_s(), *item.at("SK").as_s()};
}

}  // namespace

MemoryTable::MemoryTable() { description_.keys = {"PK", std::string("SK")}; }

Result<std::optional<Item>> MemoryTable::get(const ports::GetRequest& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = items_.find(key_of(r.key));
  if (it == items_.end()) return std::optional<Item>();
  return std::optional<Item>(it->second);
}

Result<ports::WriteResult> MemoryTable::put(const ports::PutRequest& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  items_.insert_or_assign(Key(key_of(r.item)), r.item);
  return ports::WriteResult{};
}

Result<ports::WriteResult> MemoryTable::update(const ports::UpdateRequest& r) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = items_.find(key_of(r.key));
  if (r.condition) {
    auto ok = model::evaluate(*r.condition, it == items_.end() ? empty_ : it->second);
    if (!ok.ok()) return ok.error();
    if (!*ok) return Error::condition_failed("The conditional request failed");
  }
  const bool created = it == items_.end();
  if (created) it = items_.emplace(Key(key_of(r.key)), r.key).first;
  if (auto s = model::apply(r.update, it->second); !s.ok()) {
    if (created) items_.erase(it);
    return s.error();
  }
  return ports::WriteResult{};
}

Result<ports::WriteResult> MemoryTable::remove(const ports::DeleteRequest&) {
  return unsupported();
}
Result<ports::QueryResult> MemoryTable::query(const ports::QueryRequest&) { return unsupported(); }
Result<ports::BatchGetResult> MemoryTable::batch_get(const std::vector<Item>&) {
  return unsupported();
}
Result<ports::BatchWriteResult> MemoryTable::batch_write(const std::vector<ports::WriteRequest>&) {
  return unsupported();
}
model::Status MemoryTable::transact_write(const std::vector<ports::TransactAction>&,
                                          const std::optional<std::string>&) {
  return unsupported();
}

}  // namespace cartflow::support
