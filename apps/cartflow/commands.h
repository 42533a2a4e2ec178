// SPDX-License-Identifier: Apache-2.0
#pragma once

// The subcommands of `cartflow`. Each add_* registers one subcommand on `app`; when it runs,
// its callback stores the process exit code in `exit_code` (0 success, 1 failure, 2 usage).

#include <CLI/CLI.hpp>

namespace cartflow::app {

void add_invoke_command(CLI::App& app, int& exit_code);

// Prints "cartflow: <message>" on stderr.
void print_error(std::string_view message);

}  // namespace cartflow::app
