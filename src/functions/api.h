// SPDX-License-Identifier: Apache-2.0
#pragma once

// The `api` handler: API Gateway REST proxy events (payload 1.0) in, proxy responses out, for
// the reference's routes (POST /loadProducts, GET /products[/{product_id}], POST|GET
// /cart/{user_id}, POST /order) and ours (GET /orders/{order_id}, POST
// /orders/{order_id}/cancel, GET /users/{user_id}/orders, DELETE /cart/{user_id}/{product_id},
// GET /health, GET /openapi.json|.yaml). See docs/API.md and openapi.yaml.
//
// Two doors, one core: serve() takes the typed request (api_request.h) that `cartflow serve`
// builds from HTTP, with the route already matched; invoke() and handle() are the Lambda edge,
// the only place where the proxy event is decoded and the proxy response encoded.
//
// Storage only through ports::Table (the table of functions::table_description); dates from
// the injected Clock. Errors are HTTP statuses with {"message", "code", "field"?,
// "request_id"} bodies; never a 200. Thread-safe: no state besides the injected ports.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "events/api_gateway.h"
#include "functions/api_request.h"
#include "functions/handler.h"
#include "functions/logging.h"
#include "ports/clock.h"
#include "ports/table.h"

namespace cartflow::functions {

struct ApiOptions {
  std::int64_t idempotency_ttl_s = 24 * 60 * 60;  // lifetime of an Idempotency-Key
};

// Observability (Powertools' API shape): every request gets one INFO line "request" with
// method, route (the template), status, latency_ms and correlation_id (the API request id),
// checked against the level before anything is formatted; store failures an ERROR line. On the
// Lambda door each request also writes an EMF document (dimensions service, route, status;
// metrics Requests and Latency in ms) and the cold start a ColdStart document (dimensions
// service, function_name). The serve door writes no EMF: `serve` keeps the same counts in its
// Prometheus registry (cartflow_http_requests_total, cartflow_http_request_duration_seconds).
class ApiHandler final : public Handler, public ApiRequestHandler {
 public:
  // `table` and `clock` must outlive the handler, and `logger` when given (the program's logger;
  // null: a logger of its own on stderr).
  ApiHandler(ports::Table& table, const ports::Clock& clock, ApiOptions options = {},
             const Logger* logger = nullptr);

  std::string_view name() const override { return "api"; }

  // Parses the event and returns the proxy response as JSON. Fails (a function error) only
  // when the event is not an API Gateway proxy event; every request problem is an HTTP status.
  model::Result<std::string> invoke(std::string_view event_json,
                                    const InvocationContext& context) override;

  // The same on parsed values: matches the route of the event's path (404 when none, 405 with
  // Allow when the path has other methods), decodes the body (400 for bad base64), serves it.
  // The request id is the event's, else the context's, else a new one. Never throws.
  events::ApiGatewayResponse handle(const events::ApiGatewayRequest& request,
                                    const InvocationContext& context);

  // The typed core. `request.route` must be set (the caller matched it); the request id must
  // not be empty. Never throws; unexpected failures become 500 responses.
  ApiResponse serve(const ApiRequest& request) override;

 private:
  ApiResponse decode_and_serve(const events::ApiGatewayRequest& event,
                               const InvocationContext& context, ApiRequest& request,
                               std::string& generated_id, std::string& decoded);
  ApiResponse serve_core(const ApiRequest& request, const InvocationContext* invocation);
  void record(const ApiRequest& request, int status, std::int64_t start_ns,
              const InvocationContext* invocation) const;

  ports::Table& table_;
  const ports::Clock& clock_;
  ApiOptions options_;
  const std::unique_ptr<Logger> own_logger_;
  const Logger& logger_;
};

}  // namespace cartflow::functions
