// SPDX-License-Identifier: Apache-2.0
#pragma once

// The api's routes: ONE table of (method, path template) pairs, matched once per request,
// segment by segment ("{name}" matches one non-empty segment, percent-decoded). The local API
// Gateway matches with it (resource, key check, metrics label) and hands the match to the
// handler; the Lambda edge matches the event's path with it. The table is public so that tests
// can check it against the OpenAPI document. Thread-safe.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "functions/api_request.h"

namespace cartflow::functions {

enum class RouteId {
  kLoadProducts,
  kListProducts,
  kGetProduct,
  kAddToCart,
  kGetCart,
  kRemoveFromCart,
  kPlaceOrder,
  kGetOrder,
  kCancelOrder,
  kListUserOrders,
  kHealth,
  kOpenApiJson,
  kOpenApiYaml,
};

struct Route {
  std::string_view method;         // "GET", "POST", "DELETE"
  std::string_view path_template;  // "/cart/{user_id}"
  RouteId id;
};

// Every route the api handler serves, in documentation order.
std::span<const Route> api_routes();

struct RouteMatch {
  // The matched route; null when no route matches (see allowed_methods).
  const Route* route = nullptr;
  PathParams params;  // decoded
  // When route is null: the methods of routes whose template matches the path (non-empty:
  // answer 405 with an Allow header; empty: 404).
  std::vector<std::string_view> allowed_methods;
};

// Matches `method` and `path` (without the stage; a single trailing slash is ignored). Allocates
// nothing when the route matches (besides parameter values longer than the short-string buffer).
RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace cartflow::functions
