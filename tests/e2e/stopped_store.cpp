// SPDX-License-Identifier: Apache-2.0
#include "stopped_store.h"

#include "domain/keys.h"
#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "functions/api_table.h"

namespace cartflow::e2e {

struct StoppedStore::Impl {
  std::unique_ptr<embedded::Database> database;
  std::unique_ptr<embedded::SqliteTable> table;
};

StoppedStore::StoppedStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoppedStore::~StoppedStore() = default;

model::Result<std::unique_ptr<StoppedStore>> StoppedStore::open(const std::string& db_path) {
  auto database = embedded::Database::open({.path = db_path});
  if (!database.ok()) return std::move(database).error();
  auto impl = std::make_unique<Impl>();
  impl->database = std::move(database.value());
  impl->table = std::make_unique<embedded::SqliteTable>(
      *impl->database, functions::table_description("EcommerceAppTable"));
  return std::unique_ptr<StoppedStore>(new StoppedStore(std::move(impl)));
}

std::string StoppedStore::cart_item_attribute(const std::string& user, const std::string& product,
                                              const std::string& attribute) {
  auto got = impl_->table->get(
      ports::GetRequest{{{"PK", model::AttributeValue(domain::user_pk(user))},
                         {"SK", model::AttributeValue(domain::cart_item_sk(product))}},
                        true,
                        std::nullopt});
  if (!got.ok()) return "<error>";
  if (!got->has_value()) return "<absent>";
  auto it = (*got)->find(attribute);
  if (it == (*got)->end() || it->second.as_s() == nullptr) return "<none>";
  return *it->second.as_s();
}

}  // namespace cartflow::e2e
