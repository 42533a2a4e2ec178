// SPDX-License-Identifier: Apache-2.0
// `cartflow lambda [--handler NAME]`: the Lambda custom runtime. Lambda runs
// /var/task/bootstrap with no arguments; the package's bootstrap IS this program, so main()
// turns a bare `bootstrap` into `cartflow lambda` (is_lambda_bootstrap).
//
// Backend (--backend or CARTFLOW_BACKEND): `aws` by default -- the DynamoDB table TABLE_NAME
// and the SQS queue UPDATE_CART_PRODUCT_SQS of the template's environment, with the function's
// role credentials; init makes no AWS call and opens the connections ahead. `embedded` serves
// from a SQLite file at /tmp/cartflow.db (CARTFLOW_LAMBDA_DB or --db): local-only, each
// execution environment has its own (tests, measurements).
//
// CORS: the api answers it for the origin in CORS_ALLOW_ORIGIN (functions/cors.h; unset: none).

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "aws_system.h"
#include "aws/xray.h"
#include "embedded_system.h"
#include "logger_env.h"
#include "functions/cors.h"
#include "functions/logging.h"
#include "runtime/runtime_client.h"
#include "runtime/runtime_loop.h"

namespace cartflow::app {

namespace {

constexpr const char* kHandlerNames[] = {"api", "process-cart-products", "update-cart-status"};

struct LambdaArgs {
  std::string handler;  // empty: _HANDLER
  std::string backend = "aws";
  std::string db_path = "/tmp/cartflow.db";
  std::size_t max_invocations = 0;
};

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

bool known_handler(std::string_view name) {
  for (const char* known : kHandlerNames) {
    if (name == known) return true;
  }
  return false;
}

model::Result<std::unique_ptr<System>> open_lambda_system(const LambdaArgs& args) {
  if (args.backend == "aws") {
    AwsOptions options = aws_options_from_env({});
    options.parts = AwsParts::kLambda;  // the handler's own resources, as in Lambda
    auto system = AwsSystem::open(options);
    if (!system.ok()) return std::move(system).error();
    return std::unique_ptr<System>(std::move(system.value()));
  }
  EmbeddedOptions options = embedded_options_from_env({});
  options.db_path = args.db_path;
  // /tmp dies with the execution environment: a power-loss guarantee (synchronous=FULL) buys
  // nothing there, while NORMAL still survives a crash of this process.
  options.durable = false;
  auto system = EmbeddedSystem::open(options);
  if (!system.ok()) {
    return model::Error::unavailable("cannot open the store " + args.db_path + ": " +
                                     system.error().message);
  }
  return std::unique_ptr<System>(std::move(system.value()));
}

// Init failed: tell Lambda (best effort) and stderr, then exit non-zero.
int fail_init(runtime::RuntimeClient& client, const std::string& type, const std::string& message) {
  print_error(message);
  auto posted = client.post_init_error({type, message});
  if (!posted.ok()) print_error("cannot post the init error: " + posted.error().message);
  return 1;
}

int run_lambda(const LambdaArgs& args) {
  const std::string api = env_or_empty("AWS_LAMBDA_RUNTIME_API");
  if (api.empty()) {
    print_error("AWS_LAMBDA_RUNTIME_API is not set: `cartflow lambda` runs inside Lambda (or an "
                "emulator of its Runtime API)");
    return 1;
  }
  auto endpoint = runtime::parse_endpoint(api);
  if (!endpoint.ok()) {
    print_error(endpoint.error().message);
    return 1;
  }
  runtime::RuntimeClient client(std::move(endpoint.value()));

  const std::string name = args.handler.empty() ? env_or_empty("_HANDLER") : args.handler;
  if (!known_handler(name)) {
    return fail_init(client, "Runtime.HandlerNotFound",
                     "unknown handler '" + name +
                         "' (_HANDLER or --handler: api, process-cart-products, update-cart-status)");
  }
  // Slow work once, before the first /next: the connection, the store, the handlers.
  if (auto connected = client.connect(); !connected.ok()) {
    print_error(connected.error().message);
    return 1;
  }
  auto system = open_lambda_system(args);
  if (!system.ok()) {
    return fail_init(client, "Runtime.InitError", system.error().message);
  }
  functions::Handler* handler = (*system)->handler(name);
  if (handler == nullptr) {
    return fail_init(client, "Runtime.HandlerNotFound", "handler '" + name + "' is not wired");
  }
  // The api answers CORS as `serve --cors-origin` does, for the origin of CORS_ALLOW_ORIGIN
  // (the template's CorsAllowOrigin; unset or empty: no CORS headers).
  functions::CorsHandler cors(*handler, name == "api" ? env_or_empty("CORS_ALLOW_ORIGIN") : "");
  handler = &cors;
  const auto logger = logger_from_env();
  runtime::LoopOptions loop{.max_invocations = args.max_invocations, .logger = logger.get()};
  // X-Ray: each AWS call of a sampled invocation carries the trace header and becomes a
  // subsegment sent to the daemon (aws/xray.h). The embedded backend makes no AWS call.
  std::unique_ptr<aws::Tracer> tracer;
  if (auto* aws_system = dynamic_cast<AwsSystem*>(system->get())) {
    auto opened = aws::Tracer::open(env_or_empty("AWS_XRAY_DAEMON_ADDRESS"));
    if (!opened.ok()) return fail_init(client, "Runtime.InitError", opened.error().message);
    tracer = std::move(opened.value());
    aws_system->http().set_tracer(tracer.get());
    loop.invocation_started = [&tracer](const functions::InvocationContext& context) {
      tracer->begin_invocation(context.trace_id);
    };
    loop.invocation_ended = [&tracer] { tracer->end_invocation(); };
  }
  auto served = runtime::run_loop(client, *handler, loop);
  if (!served.ok()) {
    print_error("runtime loop ended: " + served.error().message);
    return 1;
  }
  return 0;
}

}  // namespace

bool is_lambda_bootstrap(std::string_view argv0) {
  const std::size_t slash = argv0.rfind('/');
  return argv0.substr(slash == std::string_view::npos ? 0 : slash + 1) == "bootstrap";
}

void add_lambda_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LambdaArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lambda", "Run as an AWS Lambda custom runtime (the package's bootstrap runs this)");
  cmd->add_option("--handler", args->handler,
                  "api, process-cart-products or update-cart-status (default: $_HANDLER)")
      ->check(CLI::IsMember({"api", "process-cart-products", "update-cart-status"}));
  cmd->add_option("--backend", args->backend,
                  "aws (DynamoDB and SQS named by TABLE_NAME and UPDATE_CART_PRODUCT_SQS) or "
                  "embedded (a SQLite file, local-only)")
      ->envname("CARTFLOW_BACKEND")
      ->check(CLI::IsMember({"aws", "embedded"}))
      ->capture_default_str();
  cmd->add_option("--db", args->db_path,
                  "embedded database file (local-only backend; each environment has its own)")
      ->envname("CARTFLOW_LAMBDA_DB")
      ->capture_default_str();
  cmd->add_option("--max-invocations", args->max_invocations,
                  "exit 0 after this many invocations (tests, measurements); 0 = never");
  cmd->callback([args, &exit_code] { exit_code = run_lambda(*args); });
}

}  // namespace cartflow::app
