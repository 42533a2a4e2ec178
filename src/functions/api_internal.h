// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the api handler: the per-request context, response builders and the route
// functions (one .cpp per topic: api_products, api_cart, api_orders, api_order_reads).
// Everything here runs on the invoking thread; nothing is shared between requests.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/validation.h"
#include "functions/api_request.h"
#include "functions/logging.h"
#include "model/attribute_value.h"
#include "ports/clock.h"
#include "ports/table.h"

namespace cartflow::functions::api {


struct ApiConfig {
  std::int64_t idempotency_ttl_s = 24 * 60 * 60;
};

struct RequestContext {
  ports::Table& table;
  const ports::Clock& clock;
  const ApiConfig& config;
  const ApiRequest& request;
  std::string_view request_id;  // request.request_id
  std::string_view body;        // request.body; empty when none
  bool has_body = false;
  const Logger& logger;
  const InvocationContext* invocation = nullptr;  // the Lambda door's; null under serve
};

// A JSON response with the standard headers (Content-Type, X-Request-Id).
ApiResponse json_response(const RequestContext& ctx, int status, std::string body);
// {"message": ..., "code": ..., "field"?: ..., "request_id": ...} plus `extra` (pre-rendered
// JSON members, e.g. "\"computed_total\":123").
ApiResponse error_response(const RequestContext& ctx, int status, std::string_view code,
                                  std::string_view message, std::string_view field = {},
                                  std::string_view extra = {});
// A FieldError as 400 (or the status its code calls for: 422 for business rule violations).
ApiResponse field_error(const RequestContext& ctx, const domain::FieldError& error);
// A store failure: 503 for throttling and unavailability (Retry-After), 500 otherwise; the
// detail is logged with the request id, never returned.
ApiResponse store_error(const RequestContext& ctx, const model::Error& error);

// The request body as a JSON object. On failure returns the 400 response to send.
std::variant<model::Item, ApiResponse> json_body(const RequestContext& ctx);
// A path parameter checked as an identifier; on failure the 400 response to send.
std::variant<std::string, ApiResponse> id_param(const RequestContext& ctx,
                                                       std::string_view name);
// The `limit` query parameter (default when absent); on failure the 400 response.
std::variant<std::int64_t, ApiResponse> limit_param(const RequestContext& ctx,
                                                           std::int64_t default_limit);

// Opaque pagination tokens: base64url of the LastEvaluatedKey in DynamoDB JSON.
std::string encode_page_token(const model::Item& last_evaluated_key);
// Decodes a token; std::nullopt when it is not one of ours.
std::optional<model::Item> decode_page_token(std::string_view token);

using ports::query_all;

// Appends the public views of every item of every page of the query (query_all's items) to
// `out`, which ends with '[' (Table::query_plain), and returns how many there were.
model::Result<std::size_t> append_public_query_all(ports::Table& table,
                                                   ports::QueryRequest request, std::string& out);

// Appends items as a JSON array of their public views (keys stripped). Consumes the items (each
// is moved from, not copied).
void append_public_items(std::string& out, std::vector<model::Item>& items);

// Routes.
ApiResponse load_products(RequestContext& ctx);
ApiResponse list_products(RequestContext& ctx);
ApiResponse get_product(RequestContext& ctx);
ApiResponse add_to_cart(RequestContext& ctx);
ApiResponse get_cart(RequestContext& ctx);
ApiResponse remove_from_cart(RequestContext& ctx);
ApiResponse place_order(RequestContext& ctx);
ApiResponse get_order(RequestContext& ctx);
ApiResponse cancel_order(RequestContext& ctx);
ApiResponse list_user_orders(RequestContext& ctx);
ApiResponse openapi_document(RequestContext& ctx, bool json);

}  // namespace cartflow::functions::api
