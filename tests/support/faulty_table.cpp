// SPDX-License-Identifier: Apache-2.0
#include "support/faulty_table.h"

#include <utility>

namespace cartflow::support {

using model::AttributeValue;
using model::Item;

void FaultyTable::fail_all(std::optional<model::Error> failure) {
  std::lock_guard lock(mutex_);
  failure_ = std::move(failure);
}

void FaultyTable::fail_key(TableOp op, const std::string& pk, const std::string& sk,
                           model::ErrorCode code) {
  std::lock_guard lock(mutex_);
  key_faults_.push_back({op, pk, sk, code});
}

void FaultyTable::before_next(TableOp op, std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  hooks_[index(op)] = std::move(hook);
}

std::optional<model::Error> FaultyTable::enter(TableOp op, const Item* key) {
  std::function<void()> hook;
  {
    std::lock_guard lock(mutex_);
    hook = std::exchange(hooks_[index(op)], nullptr);
  }
  if (hook) hook();
  ++calls_[index(op)];
  std::lock_guard lock(mutex_);
  if (failure_) return failure_;
  if (key == nullptr) return std::nullopt;
  for (const auto& f : key_faults_) {
    if (f.op != op) continue;
    auto pk = key->find("PK");
    auto sk = key->find("SK");
    if (pk != key->end() && sk != key->end() && pk->second == AttributeValue(f.pk) &&
        sk->second == AttributeValue(f.sk)) {
      return model::Error{f.code, std::string("injected ") + model::error_code_name(f.code), {}};
    }
  }
  return std::nullopt;
}

model::Result<std::optional<Item>> FaultyTable::get(const ports::GetRequest& r) {
  if (auto e = enter(TableOp::kGet, &r.key)) return *e;
  return inner_.get(r);
}

model::Result<ports::WriteResult> FaultyTable::put(const ports::PutRequest& r) {
  if (auto e = enter(TableOp::kPut, &r.item)) return *e;
  return inner_.put(r);
}

model::Result<ports::WriteResult> FaultyTable::update(const ports::UpdateRequest& r) {
  if (auto e = enter(TableOp::kUpdate, &r.key)) return *e;
  return inner_.update(r);
}

model::Result<ports::WriteResult> FaultyTable::remove(const ports::DeleteRequest& r) {
  if (auto e = enter(TableOp::kRemove, &r.key)) return *e;
  return inner_.remove(r);
}

model::Result<ports::QueryResult> FaultyTable::query(const ports::QueryRequest& r) {
  if (auto e = enter(TableOp::kQuery, nullptr)) return *e;
  return inner_.query(r);
}

model::Result<ports::BatchGetResult> FaultyTable::batch_get(const std::vector<Item>& keys) {
  if (auto e = enter(TableOp::kBatchGet, nullptr)) return *e;
  return inner_.batch_get(keys);
}

model::Result<ports::BatchWriteResult> FaultyTable::batch_write(
    const std::vector<ports::WriteRequest>& r) {
  if (auto e = enter(TableOp::kBatchWrite, nullptr)) return *e;
  return inner_.batch_write(r);
}

model::Status FaultyTable::transact_write(const std::vector<ports::TransactAction>& actions,
                                          const std::optional<std::string>& token) {
  std::optional<model::Error> e = enter(TableOp::kTransactWrite, nullptr);
  last_transaction_size_ = actions.size();
  if (e) return *e;
  return inner_.transact_write(actions, token);
}

}  // namespace cartflow::support
