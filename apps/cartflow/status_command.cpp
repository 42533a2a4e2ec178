// SPDX-License-Identifier: Apache-2.0
// `cartflow status [--db PATH]`: the pipeline's state, read from the database without taking
// the writer's lock, so it works beside a running `cartflow serve`: the stream's newest record
// and the stream mapping's checkpoint (lag), the depth of the queue, the dead-letter queue and the
// on-failure queue, and the API keys.

#include <charconv>
#include <chrono>
#include <iostream>

#include "commands.h"
#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_queue.h"
#include "embedded_system.h"
#include "platform/api_keys.h"
#include "platform/sqlite_checkpoint_store.h"

namespace cartflow::app {

namespace {

struct StatusArgs {
  std::string db_path = "./data/cartflow.db";
};

std::int64_t sequence_of(const std::string& token) {
  std::int64_t value = 0;
  std::from_chars(token.data(), token.data() + token.size(), value);
  return value;
}

void print_queue(embedded::Database& db, const ports::Clock& clock, const std::string& name,
                 const char* role) {
  auto queue = embedded::SqliteQueue::open_existing(db, clock, name);
  if (!queue.ok()) {
    std::cout << "  " << role << " " << name << ": " << queue.error().message << "\n";
    return;
  }
  auto counts = (*queue)->counts();
  if (!counts.ok()) {
    std::cout << "  " << role << " " << name << ": " << counts.error().message << "\n";
    return;
  }
  std::cout << "  " << role << " " << name << ": " << counts->visible << " visible, "
            << counts->in_flight << " in flight, " << counts->delayed << " delayed\n";
}

int run_status(const StatusArgs& args) {
  auto db = open_read_only_or_report(args.db_path);
  if (!db) return 1;
  ports::SystemClock clock;
  const EmbeddedOptions names = embedded_options_from_env({});

  embedded::SqliteChangeStream stream(*db, names.table_name, clock);
  platform::SqliteCheckpointStore checkpoints(*db, clock);
  auto latest = stream.latest();
  auto checkpoint = checkpoints.load(kOrderStreamMappingId);
  std::cout << "database " << args.db_path << " (table " << names.table_name << ")\n";
  std::cout << "stream:\n";
  if (latest.ok()) {
    std::cout << "  newest record: " << (latest->token.empty() ? "none" : latest->token) << "\n";
  }
  if (checkpoint.ok() && checkpoint->has_value()) {
    const std::string& at = (*checkpoint)->token;
    std::cout << "  OrderStream mapping checkpoint: " << (at.empty() ? "trim horizon" : at);
    if (latest.ok()) {
      const std::int64_t lag = sequence_of(latest->token) - sequence_of(at);
      std::cout << " (" << (lag > 0 ? lag : 0) << " record(s) behind)";
    }
    std::cout << "\n";
  } else {
    std::cout << "  OrderStream mapping: not started yet\n";
  }
  std::cout << "queues:\n";
  print_queue(*db, clock, names.queue_name, "orders");
  print_queue(*db, clock, names.dead_letter_queue_name, "dead-letter");
  print_queue(*db, clock, names.stream_failure_queue_name, "stream on-failure");
  auto keys = platform::ApiKeyStore::open(*db, clock);
  if (keys.ok()) {
    std::size_t active = 0, revoked = 0;
    for (const platform::ApiKey& key : (*keys)->list()) (key.revoked ? revoked : active)++;
    std::cout << "api keys: " << active << " active, " << revoked << " revoked\n";
  }
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<StatusArgs>();
  CLI::App* cmd = app.add_subcommand(
      "status", "Print the pipeline's state (works while `cartflow serve` runs)");
  cmd->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_status(*args); });
}

}  // namespace cartflow::app
