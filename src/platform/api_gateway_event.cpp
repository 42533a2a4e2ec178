// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway_event.h"

#include <cctype>
#include <set>

#include "functions/api_router.h"
#include "model/dynamo_json.h"

namespace cartflow::platform {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

SplitTarget split_target(std::string_view target, std::string_view stage) {
  SplitTarget out;
  std::string_view path = target;
  if (std::size_t q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    out.query = std::string(target.substr(q + 1));
  }
  if (path.empty() || path[0] != '/') {
    out.path = "/" + std::string(path);
    return out;
  }
  if (!stage.empty() && path.size() > stage.size() && path.substr(1, stage.size()) == stage &&
      (path.size() == stage.size() + 1 || path[stage.size() + 1] == '/')) {
    out.stage_prefixed = true;
    path.remove_prefix(stage.size() + 1);
  } else if (!stage.empty() && path.size() == stage.size() + 1 && path.substr(1) == stage) {
    out.stage_prefixed = true;
    path = {};
  }
  out.path = path.empty() ? "/" : std::string(path);
  return out;
}

void parse_query(std::string_view query, events::StringMap& single, events::MultiMap& multi) {
  std::vector<std::pair<std::string, std::string>> params;
  functions::parse_query_string(query, params);
  for (auto& [name, value] : params) {
    single[name] = value;
    multi[name].push_back(std::move(value));
  }
}

bool is_valid_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

ResolvedResource resolve_resource(std::string_view method, std::string_view path) {
  ResolvedResource out;
  functions::RouteMatch match = functions::match_route(method, path);
  if (match.route == nullptr) {
    out.found = !match.allowed_methods.empty();
    return out;
  }
  out.found = true;
  out.method_allowed = true;
  out.resource = std::string(match.route->path_template);
  for (const auto& p : match.params) out.path_parameters[std::string(p.name)] = p.value;
  return out;
}

events::ApiGatewayRequest build_proxy_event(const HttpRequest& request, const SplitTarget& target,
                                            const ResolvedResource& resource,
                                            const EventContext& context) {
  events::ApiGatewayRequest e;
  e.resource = resource.resource;
  e.path = target.path;
  e.http_method = request.method;
  for (const auto& [name, value] : request.headers) {
    // Repeated names: one multiValueHeaders entry (under the first spelling seen), last value in
    // headers. Names differing only in case are one header.
    std::string key = name;
    for (const auto& [existing, values] : e.multi_value_headers) {
      if (lower(existing) == lower(name)) key = existing;
    }
    e.multi_value_headers[key].push_back(value);
    e.headers[key] = value;
  }
  parse_query(target.query, e.query_string_parameters, e.multi_value_query_string_parameters);
  e.path_parameters = resource.path_parameters;
  if (!request.body.empty()) {
    if (is_valid_utf8(request.body)) {
      e.body = request.body;
    } else {
      e.body = model::base64_encode(request.body);
      e.is_base64_encoded = true;
    }
  }
  events::ApiGatewayRequestContext& c = e.request_context;
  c.request_id = context.request_id;
  c.stage = context.stage;
  c.resource_path = resource.resource;
  c.http_method = request.method;
  c.path = "/" + context.stage + (target.path == "/" ? "" : target.path);
  c.account_id = context.account_id;
  c.api_id = context.api_id;
  c.source_ip = request.remote_address;
  c.api_key = context.api_key;
  c.user_agent = std::string(request.header("User-Agent").value_or(""));
  c.request_time_epoch = context.request_time_ms;
  return e;
}

model::Result<HttpResponse> from_proxy_response(const events::ApiGatewayResponse& response) {
  if (response.status_code < 100 || response.status_code > 599) {
    return model::Error::invalid("statusCode " + std::to_string(response.status_code) +
                                 " is not an HTTP status");
  }
  HttpResponse out;
  out.status = response.status_code;
  std::set<std::string> multi_names;
  for (const auto& [name, values] : response.multi_value_headers) {
    multi_names.insert(lower(name));
    for (const auto& v : values) out.headers.emplace_back(name, v);
  }
  for (const auto& [name, value] : response.headers) {
    if (multi_names.count(lower(name)) == 0) out.headers.emplace_back(name, value);
  }
  if (response.is_base64_encoded) {
    auto decoded = model::base64_decode(response.body);
    if (!decoded.ok()) return model::Error::invalid("isBase64Encoded body is not base64");
    out.body = std::move(*decoded);
  } else {
    out.body = response.body;
  }
  return out;
}

}  // namespace cartflow::platform
