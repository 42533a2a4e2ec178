// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: raw HTTP/1.1 bytes through what `cartflow serve` runs. Boost.Beast's request
// parser (the server's limits) reads up to 4 pipelined requests; each goes through the local
// API Gateway (stage prefix, x-api-key, throttling, quota, the REST v1 event) into the real
// `api` handler on a scratch embedded store (a temporary database, durable=false, opened once
// per process, the sample catalog loaded). Requests the server would refuse get its error page.
// Invariants (abort on violation): a status in 200..599 but never 5xx (a 500 is the handler's
// catch-all for an unexpected failure, a 502 a handler error or malformed proxy response),
// x-amzn-RequestId on every answer, and a body that is valid JSON when the Content-Type says
// JSON. After each input GET /health still answers 200.
// Placeholders: "$KEY" in the input is replaced by the secret of a key with the default plan,
// "$SLOW" by that of a key with rate 1/s, burst 1 and a quota of 5 a day (so that the seeds can
// carry valid keys). The clock is manual and moves 1 s per input.
#include <strings.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "domain/sample_catalog.h"
#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "functions/api.h"
#include "functions/api_table.h"
#include "functions/catalog.h"
#include "platform/api_gateway.h"
#include "platform/api_keys.h"
#include "platform/http_server.h"
#include "platform/metrics.h"
#include "ports/clock.h"

namespace {

namespace http = boost::beast::http;
using namespace cartflow;

// The server's limits (HttpServerOptions defaults).
const platform::HttpServerOptions kServerOptions;

[[noreturn]] void fail(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_http_api: %s\n%s\n", what.c_str(), detail.c_str());
  std::abort();
}

// Everything `serve` wires together, once per process, on a temporary database.
struct Scratch {
  Scratch() {
    std::string templ = (std::filesystem::temp_directory_path() / "cartflow-fuzz-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) fail("mkdtemp failed", templ);
    dir = templ;
    auto opened = embedded::Database::open({dir + "/cartflow.db", false, 2});
    if (!opened.ok()) fail("cannot open the database", opened.error().message);
    db = std::move(*opened);
    table = std::make_unique<embedded::SqliteTable>(
        *db, functions::table_description("cartflow"), clock);
    api = std::make_unique<functions::ApiHandler>(*table, clock);
    auto loaded = functions::load_catalog(*table, domain::sample_catalog_json());
    if (!loaded.ok()) fail("cannot load the sample catalog", loaded.error().message);
    auto opened_keys = platform::ApiKeyStore::open(*db, clock);
    if (!opened_keys.ok()) fail("cannot open the key store", opened_keys.error().message);
    keys = std::move(*opened_keys);
    auto shop = keys->create("shop", platform::UsagePlan{});
    platform::UsagePlan slow_plan{1.0, 1, 5, platform::QuotaPeriod::kDay};
    auto slow = keys->create("slow", slow_plan);
    if (!shop.ok() || !slow.ok()) fail("cannot create the keys", "");
    key = shop->secret;
    slow_key = slow->secret;
    gateway = std::make_unique<platform::ApiGateway>(*api, keys.get(), clock, metrics);
  }
  ~Scratch() {
    gateway.reset();
    keys.reset();
    api.reset();
    table.reset();
    db.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::string dir;
  ports::ManualClock clock;
  platform::MetricsRegistry metrics;
  std::unique_ptr<embedded::Database> db;
  std::unique_ptr<embedded::SqliteTable> table;
  std::unique_ptr<functions::ApiHandler> api;
  std::unique_ptr<platform::ApiKeyStore> keys;
  std::unique_ptr<platform::ApiGateway> gateway;
  std::string key;
  std::string slow_key;
};

Scratch& scratch() {
  static Scratch s;
  return s;
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string describe(const std::string& request, const platform::HttpResponse& r) {
  std::string out = "request:\n" + request + "\nresponse " + std::to_string(r.status) + ":\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\n";
  return out + r.body;
}

void check_response(const std::string& request, const platform::HttpResponse& r) {
  if (r.status < 200 || r.status > 599) fail("status out of range", describe(request, r));
  if (r.status >= 500) fail("5xx answer", describe(request, r));
  bool has_id = false;
  std::string content_type;
  for (const auto& [k, v] : r.headers) {
    if (strcasecmp(k.c_str(), "x-amzn-RequestId") == 0) has_id = true;
    if (strcasecmp(k.c_str(), "Content-Type") == 0) content_type = v;
  }
  if (!has_id) fail("no x-amzn-RequestId", describe(request, r));
  if (content_type.find("json") != std::string::npos) {
    static simdjson::dom::parser parser;
    simdjson::dom::element ignored;
    if (parser.parse(simdjson::padded_string(r.body)).get(ignored)) {
      fail("JSON content type with a body that is not JSON", describe(request, r));
    }
  }
}

platform::HttpRequest to_request(http::request_parser<http::string_body>& parser) {
  auto& req = parser.get();
  platform::HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  for (const auto& field : req) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(req.body());
  out.remote_address = "127.0.0.1";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Scratch& s = scratch();
  s.clock.advance_ms(1000);
  std::string input(reinterpret_cast<const char*>(data), size);
  replace_all(input, "$KEY", s.key);
  replace_all(input, "$SLOW", s.slow_key);

  std::string_view rest = input;
  for (int n = 0; n < 4 && !rest.empty(); ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(kServerOptions.max_header_bytes));
    parser.body_limit(kServerOptions.max_body_bytes);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!ec && !parser.is_done() && !rest.empty()) {
      std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec == http::error::need_more) ec = {};
      if (used == 0 && !ec) break;
    }
    const std::string sent(input.substr(0, input.size() - rest.size()));
    if (!parser.is_done()) {
      // What HttpServer::on_read does: a limit gets 431/413, a malformed request 400, an
      // incomplete one waits for more bytes (here: there are none) and is closed silently.
      int status = 0;
      if (ec == http::error::header_limit) status = 431;
      else if (ec == http::error::body_limit) status = 413;
      else if (ec && ec != http::error::partial_message) status = 400;
      if (status != 0) check_response(sent, s.gateway->error_page(status));
      break;
    }
    const bool keep_alive = parser.get().keep_alive();
    check_response(sent, s.gateway->handle(to_request(parser)));
    if (!keep_alive) break;
  }

  platform::HttpRequest health;
  health.method = "GET";
  health.target = "/Dev/health";
  platform::HttpResponse r = s.gateway->handle(health);
  if (r.status != 200) fail("health is no longer ok", describe(input, r));
  return 0;
}
