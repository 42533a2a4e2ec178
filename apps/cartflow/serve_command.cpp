// SPDX-License-Identifier: Apache-2.0
// `cartflow serve`: the whole system on one machine. The API behind a local API Gateway on an
// HTTP server, and the pipeline: the change stream mapping invoking process-cart-products and the
// queue mapping invoking update-cart-status, with the settings of deploy/template.yaml.
// `--role api` runs only the first, `--role pipeline` only the second (with /health and
// /metrics), so that several instances can share one stack.
// SIGINT/SIGTERM stop it gracefully: the server finishes in-flight requests, then the mappings
// finish their in-flight batches; nothing acknowledged is lost (every write was durable before
// its answer).

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <pthread.h>

#include "commands.h"
#include "aws_args.h"
#include "logger_env.h"
#include "aws_system.h"
#include "embedded_system.h"
#include "functions/api.h"
#include "functions/logging.h"
#include "platform/api_gateway.h"
#include "platform/api_keys.h"
#include "platform/http_server.h"
#include "platform/metrics.h"
#include "platform/table_api_keys.h"
#include "serve_metrics.h"
#include "serve_pipeline.h"
#include "serve_web.h"

namespace cartflow::app {

namespace {

struct ServeArgs {
  std::string role = "all";  // api, pipeline or all
  std::string db_path = "./data/cartflow.db";
  std::string host = "127.0.0.1";
  int port = 3000;
  AwsArgs aws;  // --backend and where the AWS resources are
  int io_threads = 2;
  // Workers run the writes: one waits only until its commit is visible (its answer waits for
  // the sync without a thread), so the writes of a group are those of the busy workers; 8
  // instead of 64 cut POST /order from 2,634 to 2,038/s in an A/B run (docs/PROFILES.md).
  int worker_threads = 64;
  bool durable = true;
  bool console = false;     // --console: also on a non-loopback address
  std::string cors_origin;  // --cors-origin
  double lease_seconds = 10;  // --lease-duration (aws pipeline)
};

// Blocks SIGINT and SIGTERM in this thread and every thread it starts afterwards, so that only
// wait_for_stop_signal() sees them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int wait_for_stop_signal(const sigset_t& set) {
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

bool runs_api(const ServeArgs& args) { return args.role != "pipeline"; }
bool runs_pipeline(const ServeArgs& args) { return args.role != "api"; }

void print_pipeline_banner(const std::string& base_url) {
  std::cout << "cartflow is serving on " << base_url
            << " (role pipeline: the stream and queue mappings; no API)\n"
            << "Health:  " << base_url << "/health\n"
            << "Metrics: " << base_url << "/metrics   Stop: Ctrl-C\n"
            << std::flush;
}

void print_banner(const std::string& base_url, const std::optional<std::string>& new_key,
                  bool console, const std::optional<std::string>& new_admin_key, bool pipeline) {
  std::cout << "cartflow is serving on " << base_url << " (stage Dev: " << base_url
            << "/Dev/... works too)\n";
  if (!pipeline) {
    std::cout << "Role:    api (no pipeline here: orders reach ORDERED once an instance with "
                 "--role pipeline or all runs on the same stack)\n";
  }
  std::cout << "Shop:    " << base_url << "/\n";
  if (console) {
    std::cout << "Console: " << base_url << "/console\n";
    if (new_admin_key) {
      std::cout << "A first admin key (for the console only) was created; it is shown only this "
                   "once:\n  admin key: "
                << *new_admin_key << "\n";
    }
  } else {
    std::cout << "Console: off (not a loopback address; --console enables it)\n";
  }
  if (new_key) {
    std::cout << "A first API key was created; it is shown only this once:\n"
              << "  x-api-key: " << *new_key << "\n";
  } else {
    std::cout << "API keys: `cartflow keys list`, `cartflow keys create` for a new one.\n";
  }
  const std::string key = new_key ? *new_key : std::string("$KEY");
  std::cout << "Try the reference flow:\n"
            << "  KEY=" << key << "\n"
            << "  curl -s -X POST -H \"x-api-key: $KEY\" " << base_url << "/loadProducts\n"
            << "  curl -s -H \"x-api-key: $KEY\" '" << base_url << "/products?limit=2'\n"
            << "  PRODUCT=$(curl -s -H \"x-api-key: $KEY\" '" << base_url
            << "/products?limit=1' | sed -E 's/.*\"productId\":\"([^\"]+)\".*/\\1/')\n"
            << "  curl -s -X POST -H \"x-api-key: $KEY\" -d \"{\\\"product_id\\\":\\\"$PRODUCT\\\",\\\"quantity\\\":2}\" "
            << base_url << "/cart/user1\n"
            << "  curl -s -H \"x-api-key: $KEY\" " << base_url << "/cart/user1\n"
            << "  curl -s -X POST -H \"x-api-key: $KEY\" -d '{\"user_id\":\"user1\"}' " << base_url
            << "/order\n"
            << "  curl -s -H \"x-api-key: $KEY\" " << base_url
            << "/cart/user1   # empty again once the pipeline has run\n"
            << "Metrics: " << base_url << "/metrics   Stop: Ctrl-C\n"
            << std::flush;
}

// The system the server runs: the embedded one on --db, or the AWS one (whose API keys are in
// the API keys table and whose stream checkpoints are in the lease table, both shared by the
// stack's instances; the local --db file then holds nothing they share).
struct OpenedSystem {
  std::unique_ptr<System> system;
  std::unique_ptr<embedded::Database> local_state;  // aws only
  embedded::Database* state = nullptr;
};

model::Result<OpenedSystem> open_serve_system(const ServeArgs& args) {
  OpenedSystem opened;
  // An API-only instance never reads the stream: no DynamoDB Streams call, no stream needed.
  auto options =
      aws_options_from_args(args.aws, runs_pipeline(args) ? AwsParts::kAll : AwsParts::kApi);
  if (!options.ok()) return std::move(options).error();
  options->api_keys = runs_api(args);
  options->leases = runs_pipeline(args);
  if (args.aws.backend == "aws") {
    auto system = AwsSystem::open(*options);
    if (!system.ok()) return std::move(system).error();
    auto state = embedded::Database::open({.path = args.db_path, .durable = args.durable});
    if (!state.ok()) return std::move(state).error();
    opened.local_state = std::move(state.value());
    opened.state = opened.local_state.get();
    opened.system = std::move(system.value());
    return opened;
  }
  EmbeddedOptions embedded = embedded_options_from_env({});
  embedded.db_path = args.db_path;
  embedded.durable = args.durable;
  auto system = EmbeddedSystem::open(embedded);
  if (!system.ok()) return std::move(system).error();
  opened.state = &(*system)->database();
  opened.system = std::move(system.value());
  return opened;
}

// The API side of an instance (roles api and all): the key store (with a first key when it
// has none), the timed api handler, the gateway and the storefront and console.
struct ServeApi {
  std::unique_ptr<platform::ApiKeyStore> keys;
  std::optional<std::string> new_key;
  std::optional<std::string> new_admin_key;
  bool console = false;
  std::unique_ptr<TimedApiHandler> handler;
  std::unique_ptr<platform::ApiGateway> gateway;
  std::unique_ptr<ServeWeb> web;
};

model::Result<ServeApi> open_serve_api(const ServeArgs& args, System& system,
                                       embedded::Database& state,
                                       platform::MetricsRegistry& registry) {
  ServeApi api;
  // With --backend aws the keys are in DynamoDB, shared by every instance on the stack.
  if (auto* aws = dynamic_cast<AwsSystem*>(&system)) {
    auto keys = platform::TableApiKeyStore::open(aws->api_keys_table(), system.clock());
    if (!keys.ok()) return std::move(keys).error();
    api.keys = std::move(keys.value());
  } else {
    auto keys = platform::ApiKeyStore::open(state, system.clock());
    if (!keys.ok()) return std::move(keys).error();
    api.keys = std::move(keys.value());
  }
  // A first API key when there has never been one (admin keys, for the console, do not count).
  const auto api_keys = api.keys->list();
  if (std::none_of(api_keys.begin(), api_keys.end(),
                   [](const platform::ApiKey& k) { return !k.admin; })) {
    auto created = api.keys->create("default", platform::UsagePlan{});
    if (!created.ok()) return std::move(created).error();
    api.new_key = created->secret;
  }
  api.console = web::is_loopback_host(args.host) || args.console;
  if (api.console) {
    auto admin = ensure_admin_key(*api.keys);
    if (!admin.ok()) return std::move(admin).error();
    api.new_admin_key = *admin;
  }
  auto* api_handler = dynamic_cast<functions::ApiHandler*>(system.handler("api"));
  if (api_handler == nullptr) {
    return model::Error::internal("internal error: the system has no api handler");
  }
  api.handler = std::make_unique<TimedApiHandler>(*api_handler, registry);
  platform::ApiGatewayOptions gateway_options;
  // Reads of the embedded store never wait on the network: GETs run on the I/O threads.
  gateway_options.inline_reads = dynamic_cast<const AwsSystem*>(&system) == nullptr;
  api.gateway = std::make_unique<platform::ApiGateway>(*api.handler, api.keys.get(), system.clock(),
                                                       registry, gateway_options,
                                                       system.durability());
  api.web = std::make_unique<ServeWeb>(
      ServeWebOptions{.console = api.console, .cors_origin = args.cors_origin}, system, *api.keys,
      registry);
  return api;
}

int run_serve(const ServeArgs& args) {
  const sigset_t stop_signals = block_stop_signals();
  // A log line per request: gathered and written every 50 ms, not one write() each.
  functions::gather_stderr_lines(std::chrono::milliseconds(50));
  auto opened = open_serve_system(args);
  if (!opened.ok()) {
    print_error(opened.error().message);
    return 1;
  }
  System& system = *opened->system;
  embedded::Database& state = *opened->state;
  // The handlers' logger configuration (logger_env.h), for the server's own lines.
  const auto logger = logger_from_env();
  platform::MetricsRegistry registry;

  std::optional<ServeApi> api;
  if (runs_api(args)) {
    auto opened_api = open_serve_api(args, system, state, registry);
    if (!opened_api.ok()) {
      print_error(opened_api.error().message);
      return 1;
    }
    api = std::move(opened_api.value());
  }
  std::unique_ptr<ServePipeline> pipeline;
  if (runs_pipeline(args)) {
    PipelineOptions pipeline_options;
    pipeline_options.lease_duration =
        std::chrono::milliseconds(static_cast<std::int64_t>(args.lease_seconds * 1000));
    auto opened_pipeline = ServePipeline::open(system, state, registry, *logger, pipeline_options);
    if (!opened_pipeline.ok()) {
      print_error(opened_pipeline.error().message);
      return 1;
    }
    pipeline = std::move(opened_pipeline.value());
  } else if (dynamic_cast<const AwsSystem*>(&system) == nullptr) {
    // The orders taken now wait on the file for a later `--role pipeline` (with --backend aws,
    // the pipeline instances keep the stream's checkpoints in the lease table: docs/DEPLOY.md).
    if (auto anchored = ServePipeline::anchor_checkpoint(system, state, *logger); !anchored.ok()) {
      print_error(anchored.error().message);
      return 1;
    }
  }

  platform::HttpServerOptions http_options;
  http_options.host = args.host;
  http_options.port = static_cast<std::uint16_t>(args.port);
  http_options.io_threads = args.io_threads;
  http_options.worker_threads = args.worker_threads;
  std::unique_ptr<platform::HttpServer> server;
  if (api) {
    http_options.error_page = api->gateway->http_error_page();
    http_options.runs_inline = api->web->front().runs_inline(api->gateway->http_runs_inline());
    server = std::make_unique<platform::HttpServer>(
        http_options, api->web->front().wrap(api->gateway->http_handler()));
  } else {
    server = std::make_unique<platform::HttpServer>(http_options, pipeline_http_handler(registry));
  }
  if (auto started = server->start(); !started.ok()) {
    print_error(started.error().message);
    return 1;
  }
  if (pipeline) pipeline->start();
  const std::string base_url = "http://" + args.host + ":" + std::to_string(server->port());
  if (api) {
    api->web->start();
    print_banner(base_url, api->new_key, api->console, api->new_admin_key, pipeline != nullptr);
  } else {
    print_pipeline_banner(base_url);
  }

  const int signal = wait_for_stop_signal(stop_signals);
  logger->log(functions::LogLevel::kInfo, nullptr,
              "stopping: finishing in-flight requests and batches",
              {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  server->stop();
  if (api) api->web->stop();
  if (pipeline) pipeline->stop();
  logger->log(functions::LogLevel::kInfo, nullptr, "stopped");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run the whole system on one machine: the API and the order pipeline");
  cmd->add_option("--role", args->role,
                  "what this instance runs: api (the API, the storefront and the console; no "
                  "stream or queue mapping), pipeline (the stream and queue mappings, with "
                  "/health and /metrics; no API), or all")
      ->check(CLI::IsMember({"api", "pipeline", "all"}))
      ->capture_default_str();
  cmd->add_option("--db", args->db_path,
                  "embedded database file (with --backend aws: this instance's local file, "
                  "nothing shared)")
      ->capture_default_str();
  cmd->add_option("--host", args->host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", args->port, "port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  add_aws_options(*cmd, args->aws, AwsParts::kAll, /*with_create_missing=*/true);
  add_api_keys_table_option(*cmd, args->aws);
  add_leases_table_option(*cmd, args->aws);
  cmd->add_option("--lease-duration", args->lease_seconds,
                  "aws pipeline: seconds a shard lease lasts unless renewed; a stopped instance "
                  "releases its leases, a dead one's are taken over after this long")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->add_option("--io-threads", args->io_threads, "threads running the sockets")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--workers", args->worker_threads, "threads running API requests")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_flag("--console", args->console,
                "serve the operations console (/console, admin keys only) also when --host is "
                "not a loopback address");
  cmd->add_option("--cors-origin", args->cors_origin,
                  "answer the API's CORS preflights and allow this origin (e.g. "
                  "https://shop.example.com, or *); default: no CORS headers");
  cmd->callback([args, &exit_code] { exit_code = run_serve(*args); });
}

}  // namespace cartflow::app
