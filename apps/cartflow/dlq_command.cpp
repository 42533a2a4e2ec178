// SPDX-License-Identifier: Apache-2.0
// `cartflow dlq list|redrive`: the dead-letter queue of the cart-update queue. `redrive` moves
// its messages back to the source queue (like SQS's StartMessageMoveTask), where
// update-cart-status gets them again. Embedded: `list` reads without receiving, `redrive` moves
// all in one transaction. With --backend aws (the DLQ is the orders queue's RedrivePolicy
// target unless --dlq names it): `list` receives and releases at once (queue_moves.h),
// `redrive` sends each message before deleting it (a crash between duplicates, never loses).

#include <iostream>

#include "aws_args.h"
#include "aws_system.h"
#include "commands.h"
#include "embedded_system.h"
#include "queue_moves.h"

namespace cartflow::app {

namespace {

struct DlqArgs {
  std::string db_path = "./data/cartflow.db";
  int limit = 100;
  AwsArgs aws;
};

void print_messages(const std::vector<ports::Message>& messages, const std::string& queue) {
  std::cout << messages.size() << " message(s) in " << queue << "\n";
  for (const ports::Message& m : messages) {
    std::cout << m.message_id << " receives=" << m.receive_count << " sent_ms="
              << m.sent_timestamp_ms << " body=" << m.body.substr(0, 200)
              << (m.body.size() > 200 ? "..." : "") << "\n";
  }
}

// The AWS system with the orders queue and its DLQ; nullptr after printing the error.
std::unique_ptr<AwsSystem> open_aws_queues(const DlqArgs& args) {
  auto system = open_aws_system(args.aws, AwsParts::kQueues);
  if (!system.ok()) {
    print_error(system.error().message);
    return nullptr;
  }
  return std::move(system.value());
}

int run_aws_list(const DlqArgs& args) {
  auto system = open_aws_queues(args);
  if (!system) return 1;
  auto messages = peek_messages(system->dead_letter_queue(), args.limit);
  if (!messages.ok()) {
    print_error(messages.error().message);
    return 1;
  }
  print_messages(*messages, system->dead_letter_queue().url());
  return 0;
}

int run_aws_redrive(const DlqArgs& args) {
  auto system = open_aws_queues(args);
  if (!system) return 1;
  auto moved = move_messages(system->dead_letter_queue(), system->queue());
  if (!moved.ok()) {
    print_error(moved.error().message);
    return 1;
  }
  std::cout << "moved " << moved->moved << " message(s) back to " << system->queue().url() << "\n";
  if (moved->failed > 0) {
    print_error(std::to_string(moved->failed) + " message(s) could not be sent; they stay in " +
                system->dead_letter_queue().url());
    return 1;
  }
  return 0;
}

// Reads without the writer's lock: works beside a running `cartflow serve`.
int run_list(const DlqArgs& args) {
  if (args.aws.backend == "aws") return run_aws_list(args);
  if (auto usage = aws_options_from_args(args.aws, AwsParts::kQueues); !usage.ok()) {
    print_error(usage.error().message);
    return 2;
  }
  auto db = open_read_only_or_report(args.db_path);
  if (!db) return 1;
  ports::SystemClock clock;
  const EmbeddedOptions names = embedded_options_from_env({});
  auto dlq = embedded::SqliteQueue::open_existing(*db, clock, names.dead_letter_queue_name);
  if (!dlq.ok()) {
    print_error(dlq.error().message);
    return 1;
  }
  auto messages = (*dlq)->list_messages(args.limit);
  if (!messages.ok()) {
    print_error(messages.error().message);
    return 1;
  }
  print_messages(*messages, (*dlq)->name());
  return 0;
}

int run_redrive(const DlqArgs& args) {
  if (args.aws.backend == "aws") return run_aws_redrive(args);
  if (auto usage = aws_options_from_args(args.aws, AwsParts::kQueues); !usage.ok()) {
    print_error(usage.error().message);
    return 2;
  }
  auto system = open_system_or_report(args.db_path);
  if (!system) return 1;
  auto moved = system->dead_letter_queue().redrive_all(system->queue().name());
  if (!moved.ok()) {
    print_error(moved.error().message);
    return 1;
  }
  std::cout << "moved " << *moved << " message(s) back to " << system->queue().name() << "\n";
  return 0;
}

}  // namespace

void add_dlq_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DlqArgs>();
  CLI::App* dlq = app.add_subcommand("dlq", "Inspect or redrive the dead-letter queue");
  dlq->require_subcommand(1);
  CLI::App* list = dlq->add_subcommand("list", "List the dead-letter queue's messages");
  list->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  list->add_option("--limit", args->limit, "at most this many")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  add_aws_options(*list, args->aws, AwsParts::kQueues, /*with_create_missing=*/false);
  list->callback([args, &exit_code] { exit_code = run_list(*args); });
  CLI::App* redrive = dlq->add_subcommand("redrive", "Move every message back to the queue");
  redrive->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  add_aws_options(*redrive, args->aws, AwsParts::kQueues, /*with_create_missing=*/false);
  redrive->callback([args, &exit_code] { exit_code = run_redrive(*args); });
}

}  // namespace cartflow::app
