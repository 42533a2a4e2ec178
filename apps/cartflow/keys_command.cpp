// SPDX-License-Identifier: Apache-2.0
// `cartflow keys create|list|revoke`: the local API Gateway's API keys and usage plans. Keys are
// stored only as SHA-256 hashes; `create` prints the secret alone on its last line, once.
// `create --admin` makes a console key (it opens /console and not the API). With --backend aws
// the keys are those of the API keys table in DynamoDB (platform/table_api_keys.h), which every
// `serve --backend aws` instance on it reads.

#include <iomanip>
#include <iostream>

#include "aws_args.h"
#include "aws_system.h"
#include "commands.h"
#include "embedded/database.h"
#include "platform/api_keys.h"
#include "platform/table_api_keys.h"
#include "ports/clock.h"

namespace cartflow::app {

namespace {

struct KeysArgs {
  std::string db_path = "./data/cartflow.db";
  std::string name = "default";
  double rate = 100.0;
  std::int64_t burst = 200;
  std::int64_t quota = 0;
  std::string period;
  std::string id;
  bool admin = false;
  AwsArgs aws;  // --backend and where the API keys table is
};

// Opens the key store (the database's, or the AWS API keys table), then runs `action` on it.
// `read_only`: the database without the writer's lock, so it works beside a running
// `cartflow serve`.
int with_key_store(const KeysArgs& args, bool read_only,
                   const std::function<int(platform::ApiKeyStore&)>& action) {
  ports::SystemClock clock;
  if (args.aws.backend == "aws") {
    auto system = open_aws_system(args.aws, AwsParts::kApiKeys);
    if (!system.ok()) {
      print_error(system.error().message);
      return 1;
    }
    auto store = platform::TableApiKeyStore::open((*system)->api_keys_table(), clock);
    if (!store.ok()) {
      print_error(store.error().message);
      return 1;
    }
    return action(**store);
  }
  if (auto usage = aws_options_from_args(args.aws, AwsParts::kApiKeys); !usage.ok()) {
    print_error(usage.error().message);
    return 2;
  }
  auto database = embedded::Database::open({.path = args.db_path, .read_only = read_only});
  if (!database.ok()) {
    print_error(database.error().message);
    return 1;
  }
  auto store = platform::ApiKeyStore::open(**database, clock);
  if (!store.ok()) {
    print_error(store.error().message);
    return 1;
  }
  return action(**store);
}

int run_create(const KeysArgs& args) {
  auto period = platform::parse_quota_period(args.period);
  if (!period.ok()) {
    print_error(period.error().message);
    return 2;
  }
  platform::UsagePlan plan{.rate = args.rate, .burst = args.burst, .quota = args.quota,
                           .period = *period};
  if (auto valid = platform::validate(plan); !valid.ok()) {
    print_error(valid.error().message);
    return 2;
  }
  return with_key_store(args, false, [&](platform::ApiKeyStore& store) {
    auto created = store.create(args.name, plan, args.admin);
    if (!created.ok()) {
      print_error(created.error().message);
      return 1;
    }
    std::cout << "created " << (args.admin ? "admin key " : "key ") << created->key.id << " ("
              << created->key.name << "); its value, shown only now:\n"
              << created->secret << "\n";
    return 0;
  });
}

int run_list(const KeysArgs& args) {
  return with_key_store(args, true, [](platform::ApiKeyStore& store) {
    std::cout << std::left << std::setw(12) << "ID" << std::setw(20) << "NAME" << std::setw(9)
              << "STATE" << std::setw(7) << "KIND" << std::setw(10) << "RATE" << std::setw(8)
              << "BURST" << "QUOTA\n";
    for (const platform::ApiKey& key : store.list()) {
      std::string quota = key.plan.quota == 0
                              ? std::string("-")
                              : std::to_string(key.plan.quota) + "/" +
                                    platform::quota_period_name(key.plan.period);
      std::cout << std::setw(12) << key.id << std::setw(20) << key.name << std::setw(9)
                << (key.revoked ? "revoked" : "active") << std::setw(7)
                << (key.admin ? "admin" : "api") << std::setw(10) << key.plan.rate
                << std::setw(8) << key.plan.burst << quota << "\n";
    }
    return 0;
  });
}

int run_revoke(const KeysArgs& args) {
  return with_key_store(args, false, [&](platform::ApiKeyStore& store) {
    if (auto revoked = store.revoke(args.id); !revoked.ok()) {
      print_error(revoked.error().message);
      return 1;
    }
    std::cout << "revoked key " << args.id << "\n";
    return 0;
  });
}

// --backend, --keys-table, --stack-outputs, --create-missing.
void add_store_options(CLI::App& command, KeysArgs& args) {
  add_aws_options(command, args.aws, AwsParts::kApiKeys, /*with_create_missing=*/true);
  add_api_keys_table_option(command, args.aws);
}

}  // namespace

void add_keys_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<KeysArgs>();
  CLI::App* keys = app.add_subcommand("keys", "Manage API keys and their usage plans");
  keys->require_subcommand(1);

  CLI::App* create = keys->add_subcommand("create", "Create an API key; prints its value last");
  create->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  create->add_option("--name", args->name, "a name for the key")->capture_default_str();
  create->add_option("--rate", args->rate, "steady requests per second")->capture_default_str();
  create->add_option("--burst", args->burst, "burst size of the token bucket")
      ->capture_default_str();
  create->add_option("--quota", args->quota, "requests per period (0: no quota)")
      ->capture_default_str();
  create->add_option("--period", args->period, "quota period: day, week or month");
  create->add_flag("--admin", args->admin,
                   "an admin key: opens the console (/console), not the API");
  add_store_options(*create, *args);
  create->callback([args, &exit_code] { exit_code = run_create(*args); });

  CLI::App* list = keys->add_subcommand("list", "List the keys (never their values)");
  list->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  add_store_options(*list, *args);
  list->callback([args, &exit_code] { exit_code = run_list(*args); });

  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a key: it is refused from now on");
  revoke->add_option("id", args->id, "the key's id (see `keys list`)")->required();
  revoke->add_option("--db", args->db_path, "embedded database file")->capture_default_str();
  add_store_options(*revoke, *args);
  revoke->callback([args, &exit_code] { exit_code = run_revoke(*args); });
}

}  // namespace cartflow::app
