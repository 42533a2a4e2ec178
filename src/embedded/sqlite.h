// SPDX-License-Identifier: Apache-2.0
#pragma once

// Thin RAII wrappers over sqlite3 for the embedded store. sqlite3 types never leave this layer.
// A Connection is used by one thread at a time; Statements belong to their Connection.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "model/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cartflow::embedded {

using model::Error;
using model::Result;
using model::Status;

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds by 1-based index. Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& bind(int index, std::int64_t value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_blob(int index, std::string_view value);
  Statement& bind_null(int index);

  // Steps once: true when a row is available, false when done. Errors become kUnavailable
  // (disk full, I/O, read-only, busy) or kInternal, with sqlite's message.
  Result<bool> step();
  // Steps to completion (for statements that return no rows).
  Status run();
  // For a query of at most one row: steps once, hands this statement to `row` when a row is
  // there (to read its columns), then resets. Errors as step().
  Status step_one(const std::function<void(const Statement&)>& row);
  // Clears bindings and resets for reuse; done automatically by Connection::prepare.
  void reset();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;   // also for blobs
  std::string_view column_view(int index) const;  // valid until the next step/reset
  bool column_is_null(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" is not shareable between
  // connections; tests use a temp file) through the named VFS (nullptr: the default one). Fails
  // with kUnavailable and sqlite's message.
  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only,
                                                  const char* vfs = nullptr);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Returns a cached prepared statement, reset and with bindings cleared. The reference stays
  // valid for the life of the Connection. Fails with kInternal on a syntax error.
  Result<Statement*> prepare(std::string_view sql);
  // Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
  Status exec(std::string_view sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  // Looked up by string_view: no std::string is built per prepare().
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> statements_;
};

}  // namespace cartflow::embedded
