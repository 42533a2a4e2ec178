// SPDX-License-Identifier: Apache-2.0
#pragma once

// The subcommands of `cartflow`. Each add_* registers one subcommand on `app`; when it runs,
// its callback stores the process exit code in `exit_code` (0 success, 1 failure, 2 usage).

#include <CLI/CLI.hpp>

namespace cartflow::app {

void add_serve_command(CLI::App& app, int& exit_code);
void add_keys_command(CLI::App& app, int& exit_code);
void add_invoke_command(CLI::App& app, int& exit_code);
void add_lambda_command(CLI::App& app, int& exit_code);
// True when argv[0]'s file name is "bootstrap": Lambda runs the package's bootstrap (this
// program) with no arguments, which main() treats as `cartflow lambda`.
bool is_lambda_bootstrap(std::string_view argv0);
void add_catalog_command(CLI::App& app, int& exit_code);
void add_dlq_command(CLI::App& app, int& exit_code);
void add_status_command(CLI::App& app, int& exit_code);

// Prints "cartflow: <message>" on stderr.
void print_error(std::string_view message);

}  // namespace cartflow::app

#include "embedded_system.h"

namespace cartflow::app {

// The embedded system on `db_path` (TABLE_NAME from the environment); on failure prints the
// error and returns nullptr.
std::unique_ptr<EmbeddedSystem> open_system_or_report(const std::string& db_path);
// The database opened read-only (beside a running `serve`); nullptr after printing the error.
std::unique_ptr<embedded::Database> open_read_only_or_report(const std::string& db_path);

}  // namespace cartflow::app
