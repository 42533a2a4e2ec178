// SPDX-License-Identifier: Apache-2.0
// `cartflow catalog load [FILE] [--db PATH | --backend aws]`: loads a product catalog (a JSON
// array of products with the reference's fields), the bundled 20-product sample when no FILE is
// given, into the embedded store or (--backend aws) the DynamoDB table.

#include <fstream>
#include <iostream>
#include <iterator>

#include "aws_args.h"
#include "aws_system.h"
#include "commands.h"
#include "domain/sample_catalog.h"
#include "embedded_system.h"
#include "functions/catalog.h"

namespace cartflow::app {

namespace {

struct CatalogArgs {
  std::string file;
  std::string db_path = "./data/cartflow.db";
  AwsArgs aws;
};

// The table the catalog goes to, and what keeps it open; nullptr after printing the error.
std::unique_ptr<System> open_catalog_system(const CatalogArgs& args, const AwsOptions& options) {
  if (args.aws.backend != "aws") return open_system_or_report(args.db_path);
  auto system = AwsSystem::open(options);
  if (!system.ok()) {
    print_error(system.error().message);
    return nullptr;
  }
  return std::move(system.value());
}

int run_load(const CatalogArgs& args) {
  auto options = aws_options_from_args(args.aws, AwsParts::kTable);
  if (!options.ok()) {
    print_error(options.error().message);
    return args.aws.backend == "aws" ? 1 : 2;  // a bad --stack-outputs file, or a usage error
  }
  std::string json;
  if (args.file.empty()) {
    json = std::string(domain::sample_catalog_json());
  } else {
    std::ifstream in(args.file, std::ios::binary);
    if (!in) {
      print_error("cannot read catalog file " + args.file);
      return 1;
    }
    json.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto system = open_catalog_system(args, *options);
  if (!system) return 1;
  auto loaded = functions::load_catalog(system->table(), json);
  if (!loaded.ok()) {
    print_error(loaded.error().message);
    return 1;
  }
  std::cout << "loaded " << *loaded << " products"
            << (args.file.empty() ? " (the bundled sample catalog)" : " from " + args.file)
            << "\n";
  return 0;
}

}  // namespace

void add_catalog_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CatalogArgs>();
  CLI::App* catalog = app.add_subcommand("catalog", "Manage the product catalog");
  catalog->require_subcommand(1);
  CLI::App* load = catalog->add_subcommand(
      "load", "Load a product catalog (the bundled sample when no FILE); idempotent");
  load->add_option("file", args->file, "JSON array of products");
  load->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  add_aws_options(*load, args->aws, AwsParts::kTable, /*with_create_missing=*/true);
  load->callback([args, &exit_code] { exit_code = run_load(*args); });
}

}  // namespace cartflow::app
