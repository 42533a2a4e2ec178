// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the embedded layer: the schema of the database file and its migrations.
// The version is kept in PRAGMA user_version; migrations run in order, each in its own
// transaction, so a crash mid-migration leaves the file at the previous version.

#include <string>

#include "embedded/sqlite.h"

namespace cartflow::embedded {

// Brings the file open on `writer` to Database::kSchemaVersion. Fails with kUnavailable
// "database schema version N is newer than this cartflow supports (M)" for newer files, or
// with sqlite's error if a migration fails (the file is then left at the last good version).
Status migrate(Connection& writer, const std::string& path);

// The version stored in the file (0 for a new, empty file).
Result<int> schema_version(Connection& connection);

}  // namespace cartflow::embedded
