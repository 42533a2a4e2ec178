// SPDX-License-Identifier: Apache-2.0
// `cartflow invoke FUNCTION [--event FILE|-] [--db PATH | --backend aws]`: one handler, once, on one event, like
// `sam local invoke`. Prints the handler's JSON response on stdout; a function error prints
// Lambda's error document {"errorMessage","errorType"} and exits 1.

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "commands.h"
#include "aws_system.h"
#include "embedded_system.h"
#include "functions/logging.h"
#include "model/dynamo_json.h"

namespace cartflow::app {

namespace {

struct InvokeArgs {
  std::string function;
  std::string event = "-";
  std::string db_path = "./data/cartflow.db";
  std::string backend = "embedded";
};

// Reads the whole event: from stdin for "-", else from the file.
model::Result<std::string> read_event(const std::string& source) {
  if (source == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(source, std::ios::binary);
  if (!in) return model::Error::not_found("cannot read event file " + source);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int run_invoke(const InvokeArgs& args) {
  auto event = read_event(args.event);
  if (!event.ok()) {
    print_error(event.error().message);
    return 1;
  }
  std::unique_ptr<System> system;
  if (args.backend == "aws") {
    AwsOptions options = aws_options_from_env({});
    options.parts = AwsParts::kLambda;  // the handler's own resources, as in Lambda
    auto opened = AwsSystem::open(options);
    if (!opened.ok()) {
      print_error(opened.error().message);
      return 1;
    }
    system = std::move(opened.value());
  } else {
    system = open_system_or_report(args.db_path);
    if (!system) return 1;
  }
  functions::Handler* handler = system->handler(args.function);
  if (handler == nullptr) {
    print_error("unknown function " + args.function);
    return 2;
  }
  functions::InvocationContext context{.request_id = "cartflow-invoke",
                                       .invoked_function_arn = "local:" + args.function,
                                       .cold_start = true};
  auto response = handler->invoke(*event, context);
  if (!response.ok()) {
    std::string out = "{\"errorMessage\":";
    model::append_json_string(out, response.error().message);
    out += ",\"errorType\":";
    model::append_json_string(out, model::error_code_name(response.error().code));
    out += "}";
    std::cout << out << "\n";
    return 1;
  }
  std::cout << *response << "\n";
  return 0;
}

}  // namespace

void add_invoke_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<InvokeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "invoke", "Run one handler once on one event (like `sam local invoke`) and print its response");
  cmd->add_option("function", args->function,
                  "api, process-cart-products or update-cart-status")
      ->required()
      ->check(CLI::IsMember({"api", "process-cart-products", "update-cart-status"}));
  cmd->add_option("--event", args->event, "event JSON file, or - for standard input")
      ->capture_default_str();
  cmd->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  cmd->add_option("--backend", args->backend,
                  "embedded, or aws (TABLE_NAME, UPDATE_CART_PRODUCT_SQS; endpoints, region and "
                  "credentials as the AWS SDKs read them)")
      ->check(CLI::IsMember({"embedded", "aws"}))
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_invoke(*args); });
}

void print_error(std::string_view message) {
  functions::flush_stderr_lines();  // gathered log lines first, in the order they were logged
  std::cerr << "cartflow: " << message << "\n";
}

std::unique_ptr<EmbeddedSystem> open_system_or_report(const std::string& db_path) {
  EmbeddedOptions options = embedded_options_from_env({});
  options.db_path = db_path;
  auto system = EmbeddedSystem::open(options);
  if (!system.ok()) {
    print_error(system.error().message);
    return nullptr;
  }
  return std::move(system.value());
}

std::unique_ptr<embedded::Database> open_read_only_or_report(const std::string& db_path) {
  auto db = embedded::Database::open({.path = db_path, .read_connections = 1, .read_only = true});
  if (!db.ok()) {
    print_error(db.error().message);
    return nullptr;
  }
  return std::move(db.value());
}

}  // namespace cartflow::app
