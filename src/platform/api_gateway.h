// SPDX-License-Identifier: Apache-2.0
#pragma once

// ApiGateway: what Amazon API Gateway (REST API, Lambda proxy integration) does in front of the
// `api` handler, for `cartflow serve`:
// - the stage prefix: "/Dev/products" and "/products" address the same resource;
// - resources from the api's one route table (functions/api_router.h), matched once: the match
//   gives the resource, the key check, the metrics label, and is handed to the handler; an
//   unknown path or a method the resource does not have gets 403
//   {"message":"Missing Authentication Token"}, as API Gateway answers;
// - x-api-key on every resource but /health: missing, unknown or revoked -> 403
//   {"message":"Forbidden"};
// - the key's usage plan: token bucket (rate, burst) -> 429 {"message":"Too Many Requests"};
//   quota per period -> 429 {"message":"Limit Exceeded"} (checked after the rate, so throttled
//   requests do not use quota);
// - the handler gets the typed request (functions/api_request.h) built straight from the HTTP
//   request, with what the proxy event would carry (path without the stage, decoded path and
//   query parameters, headers, the body's bytes, request id, source ip, the checked key); no
//   JSON between the two. A handler that throws or answers a status outside 100..599 -> 502
//   {"message":"Internal server error"};
// - x-amzn-RequestId on every response (also 4xx/5xx the gateway or the server produce);
// - GET /metrics (not an API resource, no key): the MetricsRegistry in Prometheus text format.
// Metrics recorded: cartflow_http_requests_total{method,route,status} and
// cartflow_http_request_duration_seconds{method,route} (histogram), route being the resource
// template (or "/metrics", or "unmatched").
// The secret of a key is never logged; it reaches the handler only as API Gateway passes it
// (the x-api-key header and requestContext.identity.apiKey).
//
// Durability (ports/durability.h; null: every answer is sent at once): handle_async() runs the
// request inside a scope on the calling thread and sends the answer only from when_durable()'s
// callback, so no thread waits for the storage's sync; when the sync fails the answer is 500
// {"message":"Internal server error"} instead, never what the handler said.
//
// Threading: handle() is thread-safe and blocks while the handler runs (call it from the
// HttpServer's worker threads, or its I/O threads for what http_runs_inline() accepts). The handler, key store, clock and registry must outlive it.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>
#include <string>

#include "functions/api_request.h"
#include "functions/api_router.h"
#include "platform/api_gateway_throttle.h"
#include "platform/api_keys.h"
#include "platform/http_server.h"
#include "platform/metrics.h"
#include "ports/clock.h"
#include "ports/durability.h"

namespace cartflow::platform {

struct ApiGatewayOptions {
  std::string stage = "Dev";
  std::string account_id = "123456789012";
  std::string api_id = "cartflow";
  bool serve_metrics = true;  // GET /metrics
  // http_runs_inline() accepts GET requests (reads) unless a key has a quota (counting is a
  // write): set it only when the handler's reads never block on I/O (the embedded store).
  bool inline_reads = false;
};

class ApiGateway {
 public:
  // `keys` null: no key is required (for tests of the event alone; `serve` always passes one).
  ApiGateway(functions::ApiRequestHandler& handler, ApiKeyStore* keys, const ports::Clock& clock,
             MetricsRegistry& metrics, ApiGatewayOptions options = {},
             ports::Durability* durability = nullptr);

  // Answers one request (never fails: every failure is an HTTP answer), at once: without
  // waiting for durability.
  HttpResponse handle(const HttpRequest& request);
  // Answers one request through `reply` once what the answer depends on is durable (at once
  // when there is no Durability). Returns without waiting for the sync.
  void handle_async(const HttpRequest& request, HttpReply reply);
  // An answer to a request the HttpServer refused (413, 431, 400, 500), API Gateway style,
  // with x-amzn-RequestId; counted in the metrics with route "unmatched".
  HttpResponse error_page(int status);

  // handle() and error_page() bound to this object, for HttpServer; http_runs_inline() says
  // which requests may be handled on the server's I/O thread (see inline_reads).
  HttpAsyncHandler http_handler();
  HttpErrorPage http_error_page();
  HttpRunsInline http_runs_inline();

 private:
  HttpResponse gateway_error(int status, std::string_view message, std::string_view error_type,
                             const std::string& request_id);
  // One route's series, resolved once (no label maps built per request).
  struct RouteSeries {
    std::atomic<Histogram*> duration{nullptr};
    std::array<std::atomic<Counter*>, 600> by_status{};  // index: HTTP status
  };
  void record(const std::string& method, const std::string& route, int status, double seconds);
  void record_route(const functions::Route& route, int status, double seconds);

  functions::ApiRequestHandler& handler_;
  ports::Durability* durability_;
  ApiKeyStore* keys_;
  MetricsRegistry& metrics_;
  ApiGatewayOptions options_;
  Throttler throttler_;
  std::vector<std::unique_ptr<RouteSeries>> route_series_;  // by index in api_routes()
};

// A random UUID v4, lower-case with dashes: API Gateway's request id form. util::fast_uuid_v4
// (request ids need to be unique, not secret). Thread-safe.
std::string new_request_id();

}  // namespace cartflow::platform
