// SPDX-License-Identifier: Apache-2.0
#include <charconv>
#include <chrono>
#include <exception>

#include "domain/validation.h"
#include "functions/api.h"
#include "functions/api_internal.h"
#include "functions/api_openapi.h"
#include "functions/api_router.h"
#include "model/dynamo_json.h"
#include "util/random.h"

namespace cartflow::functions {

namespace {

ApiResponse dispatch(api::RequestContext& ctx, RouteId id) {
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

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string too_large_message() {
  return "the body exceeds " + std::to_string(domain::kMaxBodyBytes) + " bytes";
}

events::ApiGatewayResponse to_proxy_response(ApiResponse r) {
  events::ApiGatewayResponse out;
  out.status_code = r.status;
  out.headers = std::move(r.headers);
  out.body = std::move(r.body);
  return out;
}

}  // namespace

ApiHandler::ApiHandler(ports::Table& table, const ports::Clock& clock, ApiOptions options,
                       const Logger* logger)
    : table_(table),
      clock_(clock),
      options_(options),
      own_logger_(logger == nullptr ? std::make_unique<Logger>("cartflow", stderr_sink())
                                    : nullptr),
      logger_(logger == nullptr ? *own_logger_ : *logger) {}

model::Result<std::string> ApiHandler::invoke(std::string_view event_json,
                                              const InvocationContext& context) {
  auto request = events::parse_api_gateway_request(event_json);
  if (!request.ok()) return std::move(request).error();
  return events::to_json(handle(*request, context));
}

events::ApiGatewayResponse ApiHandler::handle(const events::ApiGatewayRequest& event,
                                              const InvocationContext& context) {
  // The Lambda edge: the event decoded into the typed request, the answer encoded back.
  const std::int64_t start = monotonic_ns();
  std::string generated_id;
  std::string decoded;
  ApiRequest request;
  ApiResponse response = decode_and_serve(event, context, request, generated_id, decoded);
  record(request, response.status, start, &context);
  return to_proxy_response(std::move(response));
}

ApiResponse ApiHandler::decode_and_serve(const events::ApiGatewayRequest& event,
                                         const InvocationContext& context, ApiRequest& request,
                                         std::string& generated_id, std::string& decoded) {
  request.method = event.http_method;
  request.path = event.path;
  request.request_id = event.request_context.request_id;
  if (request.request_id.empty()) request.request_id = context.request_id;
  if (request.request_id.empty()) request.request_id = generated_id = util::fast_uuid_v4();
  request.source_ip = event.request_context.source_ip;
  request.api_key = event.request_context.api_key;
  // headers (last value) win over multiValueHeaders' last value, as header() always read them.
  for (const auto& [name, values] : event.multi_value_headers) {
    if (!values.empty() && event.headers.count(name) == 0) request.headers.emplace_back(name, values.back());
  }
  for (const auto& [name, value] : event.headers) request.headers.emplace_back(name, value);
  for (const auto& [name, values] : event.multi_value_query_string_parameters) {
    if (!values.empty() && event.query_string_parameters.count(name) == 0) {
      request.query.emplace_back(name, values.back());
    }
  }
  for (const auto& [name, value] : event.query_string_parameters) request.query.emplace_back(name, value);

  api::ApiConfig config{options_.idempotency_ttl_s};
  api::RequestContext ctx{table_,         clock_, config,  request, request.request_id,
                          {},             false,  logger_, &context};
  RouteMatch match = match_route(event.http_method, event.path);
  if (match.route == nullptr) {
    if (match.allowed_methods.empty()) {
      return api::error_response(
          ctx, 404, "ROUTE_NOT_FOUND", "no route for " + event.http_method + " " + event.path,
          "path");
    }
    std::string allow;
    for (auto m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + std::string(m);
    auto r = api::error_response(ctx, 405, "METHOD_NOT_ALLOWED",
                                 event.http_method + " is not allowed on " + event.path +
                                     "; allowed: " + allow,
                                 "httpMethod");
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  request.route = match.route;
  request.path_params = std::move(match.params);
  if (event.body) {
    // Checked before decoding too, so that a huge base64 body is not decoded to be refused.
    if (event.body->size() > domain::kMaxBodyBytes * 4 / 3 + 4) {
      return api::error_response(ctx, 413, "PAYLOAD_TOO_LARGE", too_large_message(), "body");
    }
    if (event.is_base64_encoded) {
      auto bytes = model::base64_decode(*event.body);
      if (!bytes.ok()) {
        return api::error_response(ctx, 400, "INVALID_BODY", "the body is not valid base64",
                                   "body");
      }
      decoded = std::move(*bytes);
      request.body = decoded;
    } else {
      request.body = *event.body;
    }
    request.has_body = true;
  }
  return serve_core(request, &context);
}

ApiResponse ApiHandler::serve(const ApiRequest& request) {
  const std::int64_t start = monotonic_ns();
  ApiResponse response = serve_core(request, nullptr);
  record(request, response.status, start, nullptr);
  return response;
}

void ApiHandler::record(const ApiRequest& request, int status, std::int64_t start_ns,
                        const InvocationContext* invocation) const {
  const bool log = logger_.enabled(LogLevel::kInfo, invocation);
  if (!log && invocation == nullptr) return;  // serve door, INFO off: nothing to format
  const double latency_ms = static_cast<double>(monotonic_ns() - start_ns) / 1e6;
  const std::string_view route =
      request.route != nullptr ? request.route->path_template : std::string_view("-");
  if (log) {
    logger_.log(LogLevel::kInfo, invocation, "request",
                {{"method", request.method},
                 {"route", route},
                 {"status", status},
                 {"latency_ms", latency_ms},
                 {"correlation_id", request.request_id}});
  }
  if (invocation == nullptr) return;
  if (invocation->cold_start) {
    const std::string_view function_name =
        logger_.function_name().empty() ? std::string_view("api") : logger_.function_name();
    emit_metrics(logger_, {{"function_name", function_name}}, {{"ColdStart", "Count", 1}});
  }
  char status_text[12];
  const auto end = std::to_chars(status_text, status_text + sizeof status_text, status).ptr;
  emit_metrics(logger_, {{"route", route}, {"status", std::string_view(status_text, end - status_text)}},
               {{"Requests", "Count", 1}, {"Latency", "Milliseconds", latency_ms}});
}

ApiResponse ApiHandler::serve_core(const ApiRequest& request, const InvocationContext* invocation) {
  api::ApiConfig config{options_.idempotency_ttl_s};
  api::RequestContext ctx{table_,       clock_,           config,  request,   request.request_id,
                          request.body, request.has_body, logger_, invocation};
  try {
    if (request.route == nullptr) {
      return api::error_response(ctx, 500, "INTERNAL_ERROR", "no route was matched");
    }
    if (request.body.size() > domain::kMaxBodyBytes) {
      return api::error_response(ctx, 413, "PAYLOAD_TOO_LARGE", too_large_message(), "body");
    }
    return dispatch(ctx, request.route->id);
  } catch (const std::exception& e) {
    return api::store_error(ctx, model::Error::internal(std::string("exception: ") + e.what()));
  } catch (...) {
    return api::store_error(ctx, model::Error::internal("unknown exception"));
  }
}

namespace api {

ApiResponse openapi_document(RequestContext& ctx, bool json) {
  ApiResponse r = json_response(
      ctx, 200, std::string(json ? functions::openapi_json() : functions::openapi_yaml()));
  if (!json) r.headers[0].second = "application/yaml";
  return r;
}

}  // namespace api

}  // namespace cartflow::functions
