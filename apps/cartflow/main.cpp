// SPDX-License-Identifier: Apache-2.0
// cartflow: the command-line front door. The only place that wires adapters to handlers.
// Subcommands appear here as they are built (see docs/CLI.md and DESIGN.md's contract).

#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"cartflow: an event-driven e-commerce ordering service (products, carts, orders)"};
  app.set_version_flag("--version", std::string("cartflow ") + CARTFLOW_VERSION);
  app.require_subcommand(0, 1);

  int exit_code = 0;
  cartflow::app::add_serve_command(app, exit_code);
  cartflow::app::add_keys_command(app, exit_code);
  cartflow::app::add_invoke_command(app, exit_code);
  cartflow::app::add_lambda_command(app, exit_code);
  cartflow::app::add_catalog_command(app, exit_code);
  cartflow::app::add_dlq_command(app, exit_code);
  cartflow::app::add_status_command(app, exit_code);

  // Lambda runs /var/task/bootstrap (this program) with no arguments: that is `cartflow lambda`.
  const char* bootstrap_argv[] = {argv[0], "lambda", nullptr};
  if (argc == 1 && cartflow::app::is_lambda_bootstrap(argv[0])) {
    argc = 2;
    argv = const_cast<char**>(bootstrap_argv);
  }
  CLI11_PARSE(app, argc, argv);
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
  }
  return exit_code;
}
