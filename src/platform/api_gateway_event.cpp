// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway_event.h"

#include <cctype>
#include <set>

#include "functions/api_router.h"
#include "model/dynamo_json.h"

namespace cartflow::platform {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);  // one trailing slash
  std::size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  if (i >= path.size()) return out;
  while (true) {
    std::size_t next = path.find('/', i);
    out.push_back(path.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i));
    if (next == std::string_view::npos) break;
    i = next + 1;
  }
  return out;
}

// Matches a route template against path segments; fills decoded parameters.
bool match_template(std::string_view tmpl, const std::vector<std::string_view>& parts,
                    events::StringMap& params) {
  std::vector<std::string_view> want = segments(tmpl);
  if (want.size() != parts.size()) return false;
  events::StringMap found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    std::string_view w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (parts[i].empty()) return false;
      found[std::string(w.substr(1, w.size() - 2))] = percent_decode(parts[i], false);
    } else if (w != parts[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
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

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void parse_query(std::string_view query, events::StringMap& single, events::MultiMap& multi) {
  std::size_t i = 0;
  while (i <= query.size()) {
    std::size_t amp = query.find('&', i);
    std::string_view part = query.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string name = percent_decode(part.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : percent_decode(part.substr(eq + 1), true);
      single[name] = value;
      multi[name].push_back(std::move(value));
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
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
  const std::vector<std::string_view> parts = segments(path);
  for (const functions::Route& route : functions::api_routes()) {
    events::StringMap params;
    if (!match_template(route.path_template, parts, params)) continue;
    if (!out.found) {
      out.found = true;
      out.resource = std::string(route.path_template);
      out.path_parameters = params;
    }
    if (route.method == method) {
      out.method_allowed = true;
      out.resource = std::string(route.path_template);
      out.path_parameters = std::move(params);
      break;
    }
  }
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
  c.user_agent = request.header("User-Agent").value_or("");
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
