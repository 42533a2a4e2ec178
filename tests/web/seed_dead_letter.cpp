// SPDX-License-Identifier: Apache-2.0
// Test helper for the browser tests: sends one message (the body read from stdin) to a queue of
// a stopped `cartflow serve`'s database, so the console has a dead letter to show and redrive
// without waiting out maxReceiveCount visibility timeouts.
// Usage: seed_dead_letter DB_PATH QUEUE_NAME < body

#include <iostream>
#include <iterator>
#include <string>

#include "embedded/database.h"
#include "embedded/sqlite_queue.h"
#include "ports/clock.h"

int main(int argc, char** argv) {
  using namespace cartflow;
  if (argc != 3) {
    std::cerr << "usage: seed_dead_letter DB_PATH QUEUE_NAME < body\n";
    return 2;
  }
  const std::string body{std::istreambuf_iterator<char>(std::cin), {}};
  auto db = embedded::Database::open({.path = argv[1]});
  if (!db.ok()) {
    std::cerr << db.error().message << "\n";
    return 1;
  }
  ports::SystemClock clock;
  auto queue = embedded::SqliteQueue::open_existing(**db, clock, argv[2]);
  if (!queue.ok()) {
    std::cerr << queue.error().message << "\n";
    return 1;
  }
  auto sent = (*queue)->send({.id = "seed", .body = body, .attributes = {}, .delay_seconds = {}});
  if (!sent.ok()) {
    std::cerr << sent.error().message << "\n";
    return 1;
  }
  std::cout << sent->message_id << "\n";
  return 0;
}
