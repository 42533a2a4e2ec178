// SPDX-License-Identifier: Apache-2.0
#include "embedded_system.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "domain/keys.h"
#include "functions/api_table.h"
#include "logger_env.h"

namespace cartflow::app {

EmbeddedOptions embedded_options_from_env(EmbeddedOptions options) {
  if (const char* name = std::getenv("TABLE_NAME"); name != nullptr && *name != '\0') {
    options.table_name = name;
  }
  return options;
}

model::Result<std::unique_ptr<EmbeddedSystem>> EmbeddedSystem::open(
    const EmbeddedOptions& options) {
  std::unique_ptr<EmbeddedSystem> system(new EmbeddedSystem());
  const std::filesystem::path db_path(options.db_path);
  if (db_path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(db_path.parent_path(), ec);
    if (ec) {
      return model::Error::unavailable("cannot create folder " +
                                       db_path.parent_path().string() + ": " + ec.message());
    }
  }
  auto database = embedded::Database::open({.path = options.db_path, .durable = options.durable});
  if (!database.ok()) return std::move(database).error();
  system->database_ = std::move(database.value());

  auto settings = options.settings ? model::Result<MappingSettings>(*options.settings)
                                   : parse_mapping_settings(mapping_settings_json());
  if (!settings.ok()) return std::move(settings).error();
  system->settings_ = std::move(settings.value());
  const MappingSettings& s = system->settings_;

  // The catalog is read on every product page and changes seldom: its point reads are answered
  // from memory until a commit changes a product (embedded/read_cache.h).
  system->table_ = std::make_unique<embedded::SqliteTable>(
      *system->database_, functions::table_description(options.table_name), system->clock_,
      embedded::SqliteTableOptions{.cached_partitions = {std::string(domain::kProductPartition)}});
  system->change_stream_ = std::make_unique<embedded::SqliteChangeStream>(
      *system->database_, options.table_name, system->clock_);

  auto dlq = embedded::SqliteQueue::open(
      *system->database_, system->clock_,
      {.name = options.dead_letter_queue_name,
       .message_retention_seconds = s.dead_letter_retention_seconds});
  if (!dlq.ok()) return std::move(dlq).error();
  system->dead_letter_queue_ = std::move(dlq.value());

  auto failures = embedded::SqliteQueue::open(
      *system->database_, system->clock_,
      {.name = options.stream_failure_queue_name,
       .message_retention_seconds = s.dead_letter_retention_seconds});
  if (!failures.ok()) return std::move(failures).error();
  system->stream_failure_queue_ = std::move(failures.value());

  embedded::QueueConfig queue_config{.name = options.queue_name,
                                     .visibility_timeout_seconds = s.queue_visibility_timeout_seconds,
                                     .message_retention_seconds = s.queue_retention_seconds};
  queue_config.redrive_policy =
      embedded::RedrivePolicy{options.dead_letter_queue_name, s.max_receive_count};
  auto queue = embedded::SqliteQueue::open(*system->database_, system->clock_, queue_config);
  if (!queue.ok()) return std::move(queue).error();
  system->queue_ = std::move(queue.value());

  system->logger_ = logger_from_env();
  system->handlers_ = std::make_unique<Handlers>(*system->table_, *system->queue_, system->clock_,
                                                 *system->logger_, system->metrics_);
  return system;
}

EmbeddedSystem::~EmbeddedSystem() = default;

}  // namespace cartflow::app
