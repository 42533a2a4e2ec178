// SPDX-License-Identifier: Apache-2.0
#include "support/embedded_store.h"

#include <utility>

namespace cartflow::support {

model::Status EmbeddedStore::open(const StoreOptions& options) {
  close();
  embedded::DatabaseOptions db_options;
  db_options.path = dir.file(options.file);
  db_options.durable = options.durable;
  db_options.read_connections = options.read_connections;
  auto opened = embedded::Database::open(db_options);
  if (!opened.ok()) return opened.error();
  db = std::move(opened).value();
  if (options.table) {
    table = std::make_unique<embedded::SqliteTable>(*db, *options.table, clock);
    if (options.stream) {
      stream = std::make_unique<embedded::SqliteChangeStream>(*db, options.table->name, clock);
    }
  }
  for (const auto& config : options.queues) {
    auto q = embedded::SqliteQueue::open(*db, clock, config);
    if (!q.ok()) return q.error();
    queues.push_back(std::move(q).value());
  }
  return {};
}

void EmbeddedStore::close() {
  while (!queues.empty()) queues.pop_back();
  stream.reset();
  table.reset();
  db.reset();
}

}  // namespace cartflow::support
