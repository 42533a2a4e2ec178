// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test support: a text dump of the `items` table of a cartflow database file, read through a
// separate read-only SQLite connection (WAL lets it read while the server writes). Two equal
// dumps mean no item was written in between.

#include <sqlite3.h>

#include <string>

namespace cartflow::testing {

// Every row of `items` in key order, hex-encoded; "ERROR: ..." when the file cannot be read.
inline std::string dump_items(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string e = std::string("ERROR: ") + sqlite3_errmsg(db);
    sqlite3_close(db);
    return e;
  }
  sqlite3_busy_timeout(db, 10'000);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, "SELECT tbl, hex(pk), hex(sk), hex(item) FROM items ORDER BY 1, 2, 3",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    out = std::string("ERROR: ") + sqlite3_errmsg(db);
  } else {
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int i = 0; i < 4; ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        out += text != nullptr ? reinterpret_cast<const char*>(text) : "";
        out += i == 3 ? '\n' : '|';
      }
    }
    if (rc != SQLITE_DONE) out = std::string("ERROR: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

}  // namespace cartflow::testing
