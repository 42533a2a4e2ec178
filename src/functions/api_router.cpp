// SPDX-License-Identifier: Apache-2.0
#include "functions/api_router.h"

#include <array>

namespace cartflow::functions {

namespace {

constexpr std::array kRoutes{
    Route{"POST", "/loadProducts", RouteId::kLoadProducts},
    Route{"GET", "/products", RouteId::kListProducts},
    Route{"GET", "/products/{product_id}", RouteId::kGetProduct},
    Route{"POST", "/cart/{user_id}", RouteId::kAddToCart},
    Route{"GET", "/cart/{user_id}", RouteId::kGetCart},
    Route{"DELETE", "/cart/{user_id}/{product_id}", RouteId::kRemoveFromCart},
    Route{"POST", "/order", RouteId::kPlaceOrder},
    Route{"GET", "/orders/{order_id}", RouteId::kGetOrder},
    Route{"POST", "/orders/{order_id}/cancel", RouteId::kCancelOrder},
    Route{"GET", "/users/{user_id}/orders", RouteId::kListUserOrders},
    Route{"GET", "/health", RouteId::kHealth},
    Route{"GET", "/openapi.json", RouteId::kOpenApiJson},
    Route{"GET", "/openapi.yaml", RouteId::kOpenApiYaml},
};

// The next segment of `rest` (which starts after a '/'), consuming it and its trailing '/'.
std::string_view next_segment(std::string_view& rest) {
  std::size_t slash = rest.find('/');
  std::string_view seg = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return seg;
}

// Whether `path` (leading '/' and one trailing '/' removed) has the shape of `templ` (same
// removal); fills `params` only on a match. Templates and paths are walked in step.
bool match_template(std::string_view templ, std::string_view path, PathParams* params) {
  templ.remove_prefix(1);
  bool more_t = true, more_p = true;
  PathParams found;
  while (more_t && more_p) {
    more_t = templ.find('/') != std::string_view::npos;
    more_p = path.find('/') != std::string_view::npos;
    std::string_view w = next_segment(templ);
    std::string_view part = next_segment(path);
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (part.empty()) return false;
      if (params != nullptr) found.add(w.substr(1, w.size() - 2), percent_decode(part, false));
    } else if (w != part) {
      return false;
    }
  }
  if (more_t != more_p) return false;
  if (params != nullptr) *params = std::move(found);
  return true;
}

}  // namespace

std::span<const Route> api_routes() { return kRoutes; }

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (const Route& route : kRoutes) {
    if (route.method != method) continue;
    if (match_template(route.path_template, path, &result.params)) {
      result.route = &route;
      return result;
    }
  }
  for (const Route& route : kRoutes) {
    if (match_template(route.path_template, path, nullptr)) {
      result.allowed_methods.push_back(route.method);
    }
  }
  return result;
}

}  // namespace cartflow::functions
