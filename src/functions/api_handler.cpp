// SPDX-License-Identifier: Apache-2.0
#include <exception>

#include "domain/validation.h"
#include "functions/api.h"
#include "functions/api_internal.h"
#include "functions/api_openapi.h"
#include "functions/api_router.h"
#include "model/dynamo_json.h"

namespace cartflow::functions {

namespace {

using events::ApiGatewayResponse;

ApiGatewayResponse dispatch(api::RequestContext& ctx, RouteId id) {
  switch (id) {
    case RouteId::kLoadProducts: return api::load_products(ctx);
    case RouteId::kListProducts: return api::list_products(ctx);
    case RouteId::kGetProduct: return api::get_product(ctx);
    case RouteId::kAddToCart: return api::add_to_cart(ctx);
    case RouteId::kGetCart: return api::get_cart(ctx);
    case RouteId::kRemoveFromCart: return api::remove_from_cart(ctx);
    case RouteId::kPlaceOrder: return api::place_order(ctx);
    case RouteId::kGetOrder: return api::get_order(ctx);
    case RouteId::kCancelOrder: return api::cancel_order(ctx);
    case RouteId::kListUserOrders: return api::list_user_orders(ctx);
    case RouteId::kHealth: return api::json_response(ctx, 200, "{\"status\":\"ok\"}");
    case RouteId::kOpenApiJson: return api::openapi_document(ctx, true);
    case RouteId::kOpenApiYaml: return api::openapi_document(ctx, false);
  }
  return api::error_response(ctx, 500, "INTERNAL_ERROR", "internal error");
}

}  // namespace

ApiHandler::ApiHandler(ports::Table& table, const ports::Clock& clock, ApiOptions options)
    : table_(table), clock_(clock), options_(options) {}

model::Result<std::string> ApiHandler::invoke(std::string_view event_json,
                                              const InvocationContext& context) {
  auto request = events::parse_api_gateway_request(event_json);
  if (!request.ok()) return std::move(request).error();
  return events::to_json(handle(*request, context));
}

ApiGatewayResponse ApiHandler::handle(const events::ApiGatewayRequest& request,
                                      const InvocationContext& context) {
  api::ApiConfig config{options_.idempotency_ttl_s};
  api::RequestContext ctx{table_, clock_, config, request, {}, {}, {}, false};
  ctx.request_id = !request.request_context.request_id.empty() ? request.request_context.request_id
                   : !context.request_id.empty()                ? context.request_id
                                                                : api::uuid_v4();
  try {
    RouteMatch match = match_route(request.http_method, request.path);
    if (match.route == nullptr) {
      if (match.allowed_methods.empty()) {
        return api::error_response(ctx, 404, "ROUTE_NOT_FOUND",
                                   "no route for " + request.http_method + " " + request.path,
                                   "path");
      }
      std::string allow;
      for (auto m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + std::string(m);
      auto r = api::error_response(ctx, 405, "METHOD_NOT_ALLOWED",
                                   request.http_method + " is not allowed on " + request.path +
                                       "; allowed: " + allow,
                                   "httpMethod");
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    ctx.params = std::move(match.params);
    if (request.body) {
      if (request.body->size() > domain::kMaxBodyBytes * 4 / 3 + 4) {
        return api::error_response(ctx, 413, "PAYLOAD_TOO_LARGE",
                                   "the body exceeds " + std::to_string(domain::kMaxBodyBytes) +
                                       " bytes",
                                   "body");
      }
      if (request.is_base64_encoded) {
        auto decoded = model::base64_decode(*request.body);
        if (!decoded.ok()) {
          return api::error_response(ctx, 400, "INVALID_BODY", "the body is not valid base64",
                                     "body");
        }
        ctx.body = std::move(*decoded);
      } else {
        ctx.body = *request.body;
      }
      if (ctx.body.size() > domain::kMaxBodyBytes) {
        return api::error_response(ctx, 413, "PAYLOAD_TOO_LARGE",
                                   "the body exceeds " + std::to_string(domain::kMaxBodyBytes) +
                                       " bytes",
                                   "body");
      }
      ctx.has_body = true;
    }
    return dispatch(ctx, match.route->id);
  } catch (const std::exception& e) {
    return api::store_error(ctx, model::Error::internal(std::string("exception: ") + e.what()));
  } catch (...) {
    return api::store_error(ctx, model::Error::internal("unknown exception"));
  }
}

namespace api {

ApiGatewayResponse openapi_document(RequestContext& ctx, bool json) {
  ApiGatewayResponse r = json_response(
      ctx, 200, std::string(json ? functions::openapi_json() : functions::openapi_yaml()));
  if (!json) r.headers[0].second = "application/yaml";
  return r;
}

}  // namespace api

}  // namespace cartflow::functions
