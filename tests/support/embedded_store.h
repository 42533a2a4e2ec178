// SPDX-License-Identifier: Apache-2.0
#pragma once

// The real embedded store for tests: one SQLite database in a fresh temporary folder, on a
// ManualClock, with the table, its change stream and the queues a test asks for. Fakes in the
// LevelDB sense start from here: real behaviour, failures injected by decorators over the ports.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "embedded/database.h"
#include "embedded/sqlite_change_stream.h"
#include "embedded/sqlite_queue.h"
#include "embedded/sqlite_table.h"
#include "model/result.h"
#include "ports/clock.h"
#include "ports/table.h"
#include "support/temp_dir.h"

namespace cartflow::support {

struct StoreOptions {
  std::string file = "cartflow.db";  // inside the store's temporary folder
  bool durable = false;              // DatabaseOptions::durable
  int read_connections = 2;
  // The table to open, if any; with `stream`, also its change stream.
  std::optional<ports::TableDescription> table;
  bool stream = false;
  // Queues to open (created if absent), in this order.
  std::vector<embedded::QueueConfig> queues;
};

// Owns the folder, the clock and whatever open() opened. Not thread-safe to open or close; the
// ports it hands out are as thread-safe as the embedded adapters.
class EmbeddedStore {
 public:
  explicit EmbeddedStore(std::int64_t start_ms = 1'700'000'000'000) : clock(start_ms) {}
  ~EmbeddedStore() { close(); }
  EmbeddedStore(const EmbeddedStore&) = delete;
  EmbeddedStore& operator=(const EmbeddedStore&) = delete;

  // Closes what is open, then opens the database file and what `options` names. OK, or the first
  // error (the database's, or a queue's); on error what was opened stays open.
  [[nodiscard]] model::Status open(const StoreOptions& options);
  // Closes queues, stream, table, then the database (the reverse of open). Idempotent.
  void close();

  TempDir dir;
  ports::ManualClock clock;
  std::unique_ptr<embedded::Database> db;
  std::unique_ptr<embedded::SqliteTable> table;
  std::unique_ptr<embedded::SqliteChangeStream> stream;
  std::vector<std::unique_ptr<embedded::SqliteQueue>> queues;  // in StoreOptions::queues order
};

}  // namespace cartflow::support
