// SPDX-License-Identifier: Apache-2.0
#include "functions/cors.h"

#include "events/api_gateway.h"

namespace cartflow::functions {

namespace {

constexpr std::string_view kAllowMethods = "GET, POST, DELETE, OPTIONS";
constexpr std::string_view kAllowHeaders = "Content-Type, X-Api-Key, Idempotency-Key";
constexpr std::string_view kExposeHeaders =
    "Location, Idempotent-Replayed, Retry-After, x-amzn-RequestId";
constexpr std::string_view kMaxAgeSeconds = "600";

void add_vary(CorsHeaders& headers, std::string_view origin) {
  if (origin != "*") headers.emplace_back("Vary", "Origin");
}

}  // namespace

bool is_cors_preflight(std::string_view method, bool has_origin, bool has_request_method) {
  return method == "OPTIONS" && has_origin && has_request_method;
}

CorsHeaders cors_preflight_headers(std::string_view origin) {
  CorsHeaders headers{{"Access-Control-Allow-Origin", std::string(origin)},
                      {"Access-Control-Allow-Methods", std::string(kAllowMethods)},
                      {"Access-Control-Allow-Headers", std::string(kAllowHeaders)},
                      {"Access-Control-Max-Age", std::string(kMaxAgeSeconds)}};
  add_vary(headers, origin);
  return headers;
}

CorsHeaders cors_response_headers(std::string_view origin) {
  CorsHeaders headers{{"Access-Control-Allow-Origin", std::string(origin)},
                      {"Access-Control-Expose-Headers", std::string(kExposeHeaders)}};
  add_vary(headers, origin);
  return headers;
}

CorsHandler::CorsHandler(Handler& inner, std::string origin)
    : inner_(inner), origin_(std::move(origin)) {}

model::Result<std::string> CorsHandler::invoke(std::string_view event_json,
                                               const InvocationContext& context) {
  if (origin_.empty()) return inner_.invoke(event_json, context);
  auto event = events::parse_api_gateway_request(event_json);
  // Not a proxy event: the api's own answer (a function error) stands.
  if (!event.ok()) return inner_.invoke(event_json, context);
  if (is_cors_preflight(event->http_method, event->header("origin").has_value(),
                        event->header("access-control-request-method").has_value())) {
    events::ApiGatewayResponse preflight;
    preflight.status_code = 204;
    preflight.headers = cors_preflight_headers(origin_);
    return events::to_json(preflight);
  }
  auto answer = inner_.invoke(event_json, context);
  if (!answer.ok()) return answer;
  auto response = events::parse_api_gateway_response(*answer);
  if (!response.ok()) return answer;
  for (auto& header : cors_response_headers(origin_)) response->headers.push_back(std::move(header));
  return events::to_json(*response);
}

}  // namespace cartflow::functions
