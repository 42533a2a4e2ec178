// SPDX-License-Identifier: Apache-2.0
#pragma once

// EmbeddedSystem: the whole cartflow system on one SQLite file, wired the way `cartflow serve`,
// `cartflow invoke` and `cartflow catalog load` use it: the table, the orders queue and its
// dead-letter queue, and the three handlers. The app layer is the only place that knows both
// the adapters and the handlers. Not copyable; the handlers are thread-safe.

#include <memory>
#include <optional>
#include <string>

#include "embedded/database.h"
#include "embedded/sqlite_queue.h"
#include "embedded/sqlite_table.h"
#include "functions/api.h"
#include "functions/handler.h"
#include "functions/logging.h"
#include "functions/process_cart_products.h"
#include "functions/update_cart_status.h"
#include "mapping_settings.h"
#include "embedded/sqlite_change_stream.h"
#include "model/result.h"
#include "ports/clock.h"

namespace cartflow::app {

struct EmbeddedOptions {
  std::string db_path = "./data/cartflow.db";
  std::string table_name = "EcommerceAppTable";  // TABLE_NAME
  std::string queue_name = "UpdateCartProductsSQS";
  std::string dead_letter_queue_name = "UpdateCartProductsDLQ";
  std::string stream_failure_queue_name = "OrderStreamFailureQueue";
  bool durable = true;
  // Queue attributes and mapping settings: deploy/event-source-mappings.json by default.
  std::optional<MappingSettings> settings;
};

// Reads TABLE_NAME from the environment into `options` when set.
EmbeddedOptions embedded_options_from_env(EmbeddedOptions options);

class EmbeddedSystem {
 public:
  // Opens (creating if needed, with its folder) the database and everything on it. Fails with
  // the Database's errors (in use by another process, newer schema, unwritable path).
  static model::Result<std::unique_ptr<EmbeddedSystem>> open(const EmbeddedOptions& options);
  ~EmbeddedSystem();

  embedded::Database& database() { return *database_; }
  embedded::SqliteTable& table() { return *table_; }
  embedded::SqliteQueue& queue() { return *queue_; }
  embedded::SqliteQueue& dead_letter_queue() { return *dead_letter_queue_; }
  embedded::SqliteQueue& stream_failure_queue() { return *stream_failure_queue_; }
  embedded::SqliteChangeStream& change_stream() { return *change_stream_; }
  const MappingSettings& settings() const { return settings_; }
  functions::Metrics& function_metrics() { return metrics_; }
  const ports::Clock& clock() const { return clock_; }

  // The handler named as in `_HANDLER` ("api", "process-cart-products", "update-cart-status");
  // nullptr for any other name.
  functions::Handler* handler(std::string_view name);

 private:
  EmbeddedSystem() = default;

  ports::SystemClock clock_;
  std::unique_ptr<embedded::Database> database_;
  MappingSettings settings_;
  std::unique_ptr<embedded::SqliteTable> table_;
  std::unique_ptr<embedded::SqliteChangeStream> change_stream_;
  std::unique_ptr<embedded::SqliteQueue> stream_failure_queue_;
  std::unique_ptr<embedded::SqliteQueue> dead_letter_queue_;
  std::unique_ptr<embedded::SqliteQueue> queue_;
  std::unique_ptr<functions::Logger> logger_;
  functions::Metrics metrics_;
  std::unique_ptr<functions::ApiHandler> api_;
  std::unique_ptr<functions::ProcessCartProducts> process_cart_products_;
  std::unique_ptr<functions::UpdateCartStatus> update_cart_status_;
};

}  // namespace cartflow::app
