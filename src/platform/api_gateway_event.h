// SPDX-License-Identifier: Apache-2.0
#pragma once

// How Amazon API Gateway turns an HTTP request into the REST API proxy (payload 1.0) event and
// a proxy response back into HTTP. `cartflow serve` does not use these on its request path (its
// gateway hands the handler a typed request, api_gateway.h); they say what the Lambda door
// receives for the same HTTP request, so that tests can drive both doors with one request and
// compare the answers. The event and response codec itself is events/api_gateway.h.
// split_target is the gateway's own. Pure functions, thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/api_gateway.h"
#include "model/result.h"
#include "platform/http_server.h"

namespace cartflow::platform {

// A request target split into its parts. `path` is without the stage prefix and without the
// query ("/Dev/products?x=1" with stage "Dev" -> "/products"; "/products" stays "/products";
// "/Dev" -> "/"), not percent-decoded (API Gateway passes `path` as sent).
struct SplitTarget {
  std::string path;
  std::string query;          // after '?', without it; empty when none
  bool stage_prefixed = false;
};
SplitTarget split_target(std::string_view target, std::string_view stage);

// Fills queryStringParameters (last value wins) and multiValueQueryStringParameters (all values,
// in order) from a raw query string; names and values are percent-decoded ('+' is a space);
// "a" alone gives a="" .
void parse_query(std::string_view query, events::StringMap& single, events::MultiMap& multi);

// Whether `bytes` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// The API resource a request addresses, by functions::match_route (the one route table).
// found=false when no resource matches the path (API Gateway then answers 403 Missing
// Authentication Token); method_allowed=false when the resource exists but not with this method
// (likewise; `resource` is then empty).
struct ResolvedResource {
  bool found = false;
  bool method_allowed = false;
  std::string resource;              // the template, e.g. "/products/{product_id}"
  events::StringMap path_parameters;  // decoded
};
ResolvedResource resolve_resource(std::string_view method, std::string_view path);

// What the gateway knows about a request besides the request itself.
struct EventContext {
  std::string request_id;
  std::string stage = "Dev";
  std::string api_key;  // the x-api-key value when it was checked; empty otherwise
  std::string account_id = "123456789012";
  std::string api_id = "cartflow";
  std::int64_t request_time_ms = 0;
};

// Builds the event as API Gateway does: headers (last value) and multiValueHeaders (all),
// queryStringParameters / multiValueQueryStringParameters / pathParameters (null when empty),
// body (null when empty; base64 with isBase64Encoded=true when it is not UTF-8),
// requestContext with stage, resourcePath, path (with the stage), identity.sourceIp,
// identity.userAgent, identity.apiKey.
events::ApiGatewayRequest build_proxy_event(const HttpRequest& request, const SplitTarget& target,
                                            const ResolvedResource& resource,
                                            const EventContext& context);

// Maps a handler's proxy response to HTTP: statusCode; multiValueHeaders merged with headers
// (for a name in both, only multiValueHeaders' values, as API Gateway merges); body base64-decoded
// when isBase64Encoded. kInvalidArgument when the status is outside 100..599 or the base64 body
// is malformed (API Gateway answers 502 then).
model::Result<HttpResponse> from_proxy_response(const events::ApiGatewayResponse& response);

}  // namespace cartflow::platform
