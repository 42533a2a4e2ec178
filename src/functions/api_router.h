// SPDX-License-Identifier: Apache-2.0
#pragma once

// The api handler's routes: a fixed table of (method, path template) pairs, matched against the
// request path segment by segment ("{name}" matches one non-empty segment, percent-decoded).
// The table is public so that tests can check it against the OpenAPI document. Thread-safe.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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
  std::map<std::string, std::string, std::less<>> params;  // path parameters, decoded
  // When route is null: the methods of routes whose template matches the path (non-empty:
  // answer 405 with an Allow header; empty: 404).
  std::vector<std::string_view> allowed_methods;
};

// Matches `method` and `path` (without the stage; a single trailing slash is ignored).
RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace cartflow::functions
