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

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  while (true) {
    std::size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one segment; malformed escapes are kept as they are (validation rejects them).
std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool match_template(std::string_view templ, const std::vector<std::string_view>& parts,
                    std::map<std::string, std::string, std::less<>>& params) {
  std::vector<std::string_view> want = split(templ);
  if (want.size() != parts.size()) return false;
  std::map<std::string, std::string, std::less<>> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    std::string_view w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (parts[i].empty()) return false;
      found[std::string(w.substr(1, w.size() - 2))] = decode(parts[i]);
    } else if (w != parts[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

std::span<const Route> api_routes() { return kRoutes; }

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch result;
  std::vector<std::string_view> parts = split(path);
  if (parts.empty()) return result;
  for (const Route& route : kRoutes) {
    std::map<std::string, std::string, std::less<>> params;
    if (!match_template(route.path_template, parts, params)) continue;
    if (route.method == method) {
      result.route = &route;
      result.params = std::move(params);
      result.allowed_methods.clear();
      return result;
    }
    result.allowed_methods.push_back(route.method);
  }
  return result;
}

}  // namespace cartflow::functions
