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
#include <string>
#include <string_view>

#include "events/api_gateway.h"
#include "functions/api_request.h"
#include "functions/handler.h"
#include "ports/clock.h"
#include "ports/table.h"

namespace cartflow::functions {

struct ApiOptions {
  std::int64_t idempotency_ttl_s = 24 * 60 * 60;  // lifetime of an Idempotency-Key
};

class ApiHandler final : public Handler, public ApiRequestHandler {
 public:
  // `table` and `clock` must outlive the handler.
  ApiHandler(ports::Table& table, const ports::Clock& clock, ApiOptions options = {});

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
  ports::Table& table_;
  const ports::Clock& clock_;
  ApiOptions options_;
};

}  // namespace cartflow::functions
