// SPDX-License-Identifier: Apache-2.0
// `cartflow status [--db PATH]`: the pipeline's state, read from the database without taking
// the writer's lock, so it works beside a running `cartflow serve`: the stream's newest record
// and the stream mapping's checkpoint (lag), the depth of the queue, the dead-letter queue and the
// on-failure queue, and the API keys. With --backend aws: the table and its stream, and the
// depth of the three SQS queues (the stream's shard leases and checkpoints of `serve --backend
// aws` are in the lease table, its API keys in the API keys table; status reads neither).

#include <charconv>
#include <chrono>
#include <iostream>

#include "aws_args.h"
#include "aws_system.h"
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
  AwsArgs aws;
};

std::int64_t sequence_of(const std::string& token) {
  std::int64_t value = 0;
  std::from_chars(token.data(), token.data() + token.size(), value);
  return value;
}

void print_counts(const char* role, const std::string& name,
                  const model::Result<ports::QueueCounts>& counts) {
  if (!counts.ok()) {
    std::cout << "  " << role << " " << name << ": " << counts.error().message << "\n";
    return;
  }
  std::cout << "  " << role << " " << name << ": " << counts->visible << " visible, "
            << counts->in_flight << " in flight, " << counts->delayed << " delayed\n";
}

int run_aws_status(const StatusArgs& args) {
  auto system = open_aws_system(args.aws, AwsParts::kAll);
  if (!system.ok()) {
    print_error(system.error().message);
    return 1;
  }
  AwsSystem& aws = **system;
  std::cout << "aws region " << aws.region() << " (table " << aws.table_name() << ")\n";
  std::cout << "stream:\n  " << aws.stream_arn() << "\n";
  std::cout << "queues:\n";
  print_counts("orders", aws.queue().url(), aws.queue().counts());
  print_counts("dead-letter", aws.dead_letter_queue().url(), aws.dead_letter_queue().counts());
  print_counts("stream on-failure", aws.stream_failure_queue().url(),
               aws.stream_failure_queue().counts());
  return 0;
}

void print_queue(embedded::Database& db, const ports::Clock& clock, const std::string& name,
                 const char* role) {
  auto queue = embedded::SqliteQueue::open_existing(db, clock, name);
  if (!queue.ok()) {
    std::cout << "  " << role << " " << name << ": " << queue.error().message << "\n";
    return;
  }
  print_counts(role, name, (*queue)->counts());
}

int run_status(const StatusArgs& args) {
  if (args.aws.backend == "aws") return run_aws_status(args);
  if (auto usage = aws_options_from_args(args.aws, AwsParts::kAll); !usage.ok()) {
    print_error(usage.error().message);
    return 2;
  }
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
  add_aws_options(*cmd, args->aws, AwsParts::kAll, /*with_create_missing=*/false);
  cmd->callback([args, &exit_code] { exit_code = run_status(*args); });
}

}  // namespace cartflow::app
