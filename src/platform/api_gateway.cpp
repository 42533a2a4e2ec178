// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway.h"

#include <algorithm>
#include <iterator>

#include <chrono>

#include "functions/api_router.h"
#include "platform/api_gateway_event.h"
#include "util/random.h"

namespace cartflow::platform {

namespace {

constexpr const char* kRequestIdHeader = "x-amzn-RequestId";

std::string json_message(std::string_view message) {
  std::string out = "{\"message\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"}";
}

}  // namespace

std::string new_request_id() { return util::fast_uuid_v4(); }

ApiGateway::ApiGateway(functions::ApiRequestHandler& handler, ApiKeyStore* keys, const ports::Clock& clock,
                       MetricsRegistry& metrics, ApiGatewayOptions options,
                       ports::Durability* durability)
    : handler_(handler),
      durability_(durability),
      keys_(keys),
      metrics_(metrics),
      options_(std::move(options)),
      throttler_(clock) {
  for (std::size_t i = 0; i < functions::api_routes().size(); ++i) {
    route_series_.push_back(std::make_unique<RouteSeries>());
  }
}

HttpAsyncHandler ApiGateway::http_handler() {
  return [this](const HttpRequest& r, HttpReply reply) { handle_async(r, std::move(reply)); };
}

void ApiGateway::handle_async(const HttpRequest& request, HttpReply reply) {
  if (durability_ == nullptr) return reply.send(handle(request));
  durability_->begin_scope();
  HttpResponse response;
  try {
    response = handle(request);
  } catch (...) {
    (void)durability_->end_scope();
    throw;
  }
  const ports::Durability::Ticket ticket = durability_->end_scope();
  // std::function needs a copyable callable: the reply and the answer travel in one shared box.
  struct Pending {
    HttpReply reply;
    HttpResponse response;
  };
  auto pending = std::make_shared<Pending>(Pending{std::move(reply), std::move(response)});
  durability_->when_durable(ticket, [this, pending](bool durable) {
    if (durable) return pending->reply.send(std::move(pending->response));
    std::string request_id;
    for (const auto& [k, v] : pending->response.headers) {
      if (k == kRequestIdHeader) request_id = v;
    }
    pending->reply.send(gateway_error(500, "Internal server error", "InternalServerErrorException",
                                      request_id.empty() ? new_request_id() : request_id));
  });
}

HttpRunsInline ApiGateway::http_runs_inline() {
  return [this](const HttpRequest& r) {
    if (!options_.inline_reads || r.method != "GET") return false;
    // /metrics reads callback gauges (queue depth, stream lag) from the store: not inline.
    if (r.target.starts_with("/metrics")) return false;
    return keys_ == nullptr || !keys_->any_quota();
  };
}

HttpErrorPage ApiGateway::http_error_page() {
  return [this](int status) { return error_page(status); };
}

void ApiGateway::record(const std::string& request_method, const std::string& route, int status,
                        double seconds) {
  // A label per method a client invents would grow the registry without bound: the methods of
  // HTTP only, the rest counted as OTHER.
  static constexpr std::string_view kKnown[] = {"GET",    "HEAD",    "POST",  "PUT",  "DELETE",
                                                "OPTIONS", "PATCH", "TRACE", "CONNECT"};
  // "" stays: the server refused the request before its method was read.
  const bool known = request_method.empty() ||
                     std::find(std::begin(kKnown), std::end(kKnown), request_method) != std::end(kKnown);
  const std::string method = known ? request_method : "OTHER";
  metrics_
      .counter("cartflow_http_requests_total", "HTTP requests answered, by route and status",
               {{"method", method}, {"route", route}, {"status", std::to_string(status)}})
      .inc();
  metrics_
      .histogram("cartflow_http_request_duration_seconds",
                 "Time from a request's arrival at the gateway to its answer",
                 {{"method", method}, {"route", route}})
      .observe(seconds);
}

void ApiGateway::record_route(const functions::Route& route, int status, double seconds) {
  RouteSeries& series = *route_series_[static_cast<std::size_t>(&route - functions::api_routes().data())];
  Histogram* duration = series.duration.load(std::memory_order_acquire);
  if (duration == nullptr) {
    // The registry returns the same series to every thread that races here.
    duration = &metrics_.histogram("cartflow_http_request_duration_seconds",
                                   "Time from a request's arrival at the gateway to its answer",
                                   {{"method", std::string(route.method)},
                                    {"route", std::string(route.path_template)}});
    series.duration.store(duration, std::memory_order_release);
  }
  const std::size_t index = status >= 0 && status < 600 ? static_cast<std::size_t>(status) : 0;
  Counter* counter = series.by_status[index].load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &metrics_.counter("cartflow_http_requests_total",
                                "HTTP requests answered, by route and status",
                                {{"method", std::string(route.method)},
                                 {"route", std::string(route.path_template)},
                                 {"status", std::to_string(status)}});
    if (index != 0) series.by_status[index].store(counter, std::memory_order_release);
  }
  counter->inc();
  duration->observe(seconds);
}

HttpResponse ApiGateway::gateway_error(int status, std::string_view message,
                                       std::string_view error_type, const std::string& request_id) {
  HttpResponse r = HttpResponse::json(status, json_message(message));
  r.headers.emplace_back(kRequestIdHeader, request_id);
  if (!error_type.empty()) r.headers.emplace_back("x-amzn-ErrorType", std::string(error_type));
  return r;
}

HttpResponse ApiGateway::error_page(int status) {
  std::string message(HttpServer::reason(status));
  std::string type;
  if (status == 413) type = "RequestEntityTooLargeException";  // not an AWS name: ours
  if (status >= 500) message = "Internal server error";
  HttpResponse r = gateway_error(status, message, type, new_request_id());
  record("", "unmatched", status, 0.0);
  return r;
}

HttpResponse ApiGateway::handle(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string request_id = new_request_id();
  const char* route = "unmatched";
  const functions::Route* matched = nullptr;
  auto finish = [&](HttpResponse r) {
    bool has_id = false;
    for (const auto& [k, v] : r.headers) has_id = has_id || k == kRequestIdHeader;
    if (!has_id) r.headers.emplace_back(kRequestIdHeader, request_id);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (matched != nullptr) {
      record_route(*matched, r.status, seconds);
    } else {
      record(request.method, route, r.status, seconds);
    }
    return r;
  };

  SplitTarget target = split_target(request.target, options_.stage);
  if (options_.serve_metrics && !target.stage_prefixed && target.path == "/metrics" &&
      request.method == "GET") {
    route = "/metrics";
    HttpResponse r;
    r.headers.emplace_back("Content-Type", MetricsRegistry::kContentType);
    r.body = metrics_.render();
    return finish(std::move(r));
  }

  functions::RouteMatch match = functions::match_route(request.method, target.path);
  if (match.route == nullptr) {
    return finish(gateway_error(403, "Missing Authentication Token",
                                "MissingAuthenticationTokenException", request_id));
  }
  matched = match.route;

  functions::ApiRequest api;
  if (keys_ != nullptr && match.route->id != functions::RouteId::kHealth) {
    std::optional<std::string_view> presented = request.header("x-api-key");
    std::optional<ApiKey> key = presented ? keys_->authenticate(*presented) : std::nullopt;
    if (!key) return finish(gateway_error(403, "Forbidden", "ForbiddenException", request_id));
    if (!throttler_.allow(key->id, key->plan.rate, key->plan.burst)) {
      return finish(gateway_error(429, "Too Many Requests", "TooManyRequestsException", request_id));
    }
    auto quota = keys_->consume_quota(*key);
    if (!quota.ok()) {
      return finish(gateway_error(500, "Internal server error", "InternalServerErrorException",
                                  request_id));
    }
    if (*quota == QuotaDecision::kExceeded) {
      return finish(gateway_error(429, "Limit Exceeded", "LimitExceededException", request_id));
    }
    api.api_key = *presented;
  }

  api.method = request.method;
  api.route = match.route;
  api.path = target.path;
  api.path_params = std::move(match.params);
  functions::parse_query_string(target.query, api.query);
  api.headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) api.headers.emplace_back(name, value);
  api.body = request.body;
  api.has_body = !request.body.empty();
  api.request_id = request_id;
  api.source_ip = request.remote_address;
  functions::ApiResponse answer;
  try {
    answer = handler_.serve(api);
  } catch (...) {
    return finish(gateway_error(502, "Internal server error", "", request_id));
  }
  if (answer.status < 100 || answer.status > 599) {
    return finish(gateway_error(502, "Internal server error", "", request_id));
  }
  HttpResponse http;
  http.status = answer.status;
  http.headers = std::move(answer.headers);
  http.body = std::move(answer.body);
  return finish(std::move(http));
}

}  // namespace cartflow::platform
