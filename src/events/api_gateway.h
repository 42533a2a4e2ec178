// SPDX-License-Identifier: Apache-2.0
#pragma once

// API Gateway REST API proxy integration, payload format 1.0: the event Lambda receives and the
// response it expects. Parsing accepts exactly what API Gateway sends (null for absent maps,
// multi-value maps beside single-value ones); serialization writes the same shape, so the local
// platform and tests can build events that Lambda would deliver. Pure, thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"

namespace cartflow::events {

using StringMap = std::map<std::string, std::string>;
using MultiMap = std::map<std::string, std::vector<std::string>>;

struct ApiGatewayRequestContext {
  std::string request_id;    // requestContext.requestId
  std::string stage;         // e.g. "Dev"
  std::string resource_path; // e.g. "/cart/{user_id}"
  std::string http_method;
  std::string path;          // with the stage, e.g. "/Dev/cart/u1"
  std::string account_id;
  std::string api_id;
  std::string source_ip;     // requestContext.identity.sourceIp
  std::string api_key;       // requestContext.identity.apiKey
  std::string user_agent;
  std::int64_t request_time_epoch = 0;  // ms
};

struct ApiGatewayRequest {
  std::string resource;     // the API resource, e.g. "/cart/{user_id}" or "/{proxy+}"
  std::string path;         // the request path without the stage, e.g. "/cart/u1"
  std::string http_method;  // "GET", "POST", ...
  StringMap headers;        // names as sent; look up with header()
  MultiMap multi_value_headers;
  StringMap query_string_parameters;
  MultiMap multi_value_query_string_parameters;
  StringMap path_parameters;
  StringMap stage_variables;
  ApiGatewayRequestContext request_context;
  std::optional<std::string> body;  // null when the request has none
  bool is_base64_encoded = false;

  // Case-insensitive header lookup (the last value when repeated); std::nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
  // A query string parameter (the last value when repeated); std::nullopt when absent.
  std::optional<std::string> query(std::string_view name) const;
};

// Parses an event. Fails with kInvalidArgument when the text is not JSON, not an object, lacks
// httpMethod or path, or a known field has the wrong JSON type.
model::Result<ApiGatewayRequest> parse_api_gateway_request(std::string_view json);
// Writes an event as API Gateway does (absent maps as null, multiValue maps included).
std::string to_json(const ApiGatewayRequest& request);

struct ApiGatewayResponse {
  int status_code = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  MultiMap multi_value_headers;
  std::string body;
  bool is_base64_encoded = false;

  // The value of header `name` (case-insensitive); std::nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

// {"statusCode": N, "headers": {...}, "multiValueHeaders": {...}, "body": "...",
//  "isBase64Encoded": false}
std::string to_json(const ApiGatewayResponse& response);
// Parses a response document (as a handler returns it). Fails with kInvalidArgument when
// statusCode is missing or a field has the wrong type.
model::Result<ApiGatewayResponse> parse_api_gateway_response(std::string_view json);

}  // namespace cartflow::events
