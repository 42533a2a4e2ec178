// SPDX-License-Identifier: Apache-2.0
#pragma once

// CORS for the public API, one definition for both deployments: `cartflow serve --cors-origin`
// (web/web_front.h) and the Lambda api function behind API Gateway (CorsHandler, origin from
// CORS_ALLOW_ORIGIN, template parameter CorsAllowOrigin).
//
// A preflight is an OPTIONS request with Origin and Access-Control-Request-Method: it is
// answered 204 with the allowed methods and headers, before any API key check (browsers send
// no key on a preflight). Every other answer gets Access-Control-Allow-Origin and the headers
// a page may read. An origin other than "*" adds Vary: Origin.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "functions/handler.h"

namespace cartflow::functions {

using CorsHeaders = std::vector<std::pair<std::string, std::string>>;

// True when (method, has Origin, has Access-Control-Request-Method) is a preflight.
bool is_cors_preflight(std::string_view method, bool has_origin, bool has_request_method);
// The headers of the 204 answer to a preflight. `origin` must not be empty.
CorsHeaders cors_preflight_headers(std::string_view origin);
// The headers added to any other API answer. `origin` must not be empty.
CorsHeaders cors_response_headers(std::string_view origin);

// The api's Lambda door with CORS: preflights answered 204 here (the api is not called), every
// other proxy response given the CORS headers. An empty origin passes events and responses
// through untouched. Thread-safe as `inner` is; `inner` must outlive this object.
class CorsHandler final : public Handler {
 public:
  CorsHandler(Handler& inner, std::string origin);
  std::string_view name() const override { return inner_.name(); }
  model::Result<std::string> invoke(std::string_view event_json,
                                    const InvocationContext& context) override;

 private:
  Handler& inner_;
  std::string origin_;
};

}  // namespace cartflow::functions
