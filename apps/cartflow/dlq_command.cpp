// SPDX-License-Identifier: Apache-2.0
// `cartflow dlq list|redrive`: the dead-letter queue of the cart-update queue. `list` shows its
// messages without receiving them; `redrive` moves them all back to the source queue (like
// SQS's StartMessageMoveTask), where update-cart-status gets them again.

#include <iostream>

#include "commands.h"
#include "embedded_system.h"

namespace cartflow::app {

namespace {

struct DlqArgs {
  std::string db_path = "./data/cartflow.db";
  int limit = 100;
};

// Reads without the writer's lock: works beside a running `cartflow serve`.
int run_list(const DlqArgs& args) {
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
  std::cout << messages->size() << " message(s) in " << (*dlq)->name() << "\n";
  for (const ports::Message& m : *messages) {
    std::cout << m.message_id << " receives=" << m.receive_count << " sent_ms="
              << m.sent_timestamp_ms << " body=" << m.body.substr(0, 200)
              << (m.body.size() > 200 ? "..." : "") << "\n";
  }
  return 0;
}

int run_redrive(const DlqArgs& args) {
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
  list->add_option("--limit", args->limit, "at most this many")->capture_default_str();
  list->callback([args, &exit_code] { exit_code = run_list(*args); });
  CLI::App* redrive = dlq->add_subcommand("redrive", "Move every message back to the queue");
  redrive->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  redrive->callback([args, &exit_code] { exit_code = run_redrive(*args); });
}

}  // namespace cartflow::app
