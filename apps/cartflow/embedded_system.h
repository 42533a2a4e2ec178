// SPDX-License-Identifier: Apache-2.0
#pragma once

// EmbeddedSystem: the whole cartflow system (see system.h) on one SQLite file, wired the way
// `cartflow serve`, `cartflow invoke` and `cartflow catalog load` use it. Not copyable.

#include <memory>
#include <optional>
#include <string>

#include "embedded/database.h"
#include "embedded/sqlite_queue.h"
#include "embedded/sqlite_table.h"
#include "functions/logging.h"
#include "embedded/sqlite_change_stream.h"
#include "mapping_settings.h"
#include "model/result.h"
#include "ports/clock.h"
#include "system.h"

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

class EmbeddedSystem final : public System {
 public:
  // Opens (creating if needed, with its folder) the database and everything on it. Fails with
  // the Database's errors (in use by another process, newer schema, unwritable path).
  static model::Result<std::unique_ptr<EmbeddedSystem>> open(const EmbeddedOptions& options);
  ~EmbeddedSystem() override;

  embedded::Database& database() { return *database_; }
  embedded::SqliteTable& table() override { return *table_; }
  embedded::SqliteQueue& queue() override { return *queue_; }
  embedded::SqliteQueue& dead_letter_queue() override { return *dead_letter_queue_; }
  embedded::SqliteQueue& stream_failure_queue() override { return *stream_failure_queue_; }
  embedded::SqliteChangeStream& change_stream() override { return *change_stream_; }
  const MappingSettings& settings() const override { return settings_; }
  functions::Metrics& function_metrics() override { return metrics_; }
  const ports::Clock& clock() const override { return clock_; }
  ports::Durability* durability() override { return database_.get(); }
  functions::Handler* handler(std::string_view name) override { return handlers_->find(name); }

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
  std::unique_ptr<Handlers> handlers_;
};

}  // namespace cartflow::app
