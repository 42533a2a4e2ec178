// SPDX-License-Identifier: Apache-2.0
#include "events/api_gateway.h"

#include <simdjson.h>

#include <strings.h>

#include "model/dynamo_json.h"

namespace cartflow::events {
namespace {

using model::Error;
using model::Result;
using model::Status;
namespace dom = simdjson::dom;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

Error bad(std::string_view what, std::string_view field, std::string_view problem) {
  return Error::invalid(std::string(what) + ": " + std::string(field) + " " + std::string(problem));
}

// Reads an optional string field; null and absent leave `out` unchanged.
Status read_string(dom::object object, std::string_view field, std::string& out,
                   std::string_view what) {
  dom::element value;
  if (object[field].get(value)) return {};
  if (value.is_null()) return {};
  std::string_view s;
  if (value.get_string().get(s)) return bad(what, field, "must be a string");
  out.assign(s);
  return {};
}

Status read_string_map(dom::object object, std::string_view field, StringMap& out,
                       std::string_view what) {
  dom::element value;
  if (object[field].get(value) || value.is_null()) return {};
  dom::object map;
  if (value.get_object().get(map)) return bad(what, field, "must be an object or null");
  for (auto [key, v] : map) {
    std::string_view s;
    if (v.is_null()) continue;
    if (v.get_string().get(s)) return bad(what, std::string(field) + "." + std::string(key), "must be a string");
    out[std::string(key)] = std::string(s);
  }
  return {};
}

Status read_multi_map(dom::object object, std::string_view field, MultiMap& out,
                      std::string_view what) {
  dom::element value;
  if (object[field].get(value) || value.is_null()) return {};
  dom::object map;
  if (value.get_object().get(map)) return bad(what, field, "must be an object or null");
  for (auto [key, v] : map) {
    dom::array list;
    if (v.get_array().get(list)) return bad(what, std::string(field) + "." + std::string(key), "must be an array");
    auto& values = out[std::string(key)];
    for (dom::element e : list) {
      std::string_view s;
      if (e.get_string().get(s)) return bad(what, std::string(field) + "." + std::string(key), "must hold strings");
      values.emplace_back(s);
    }
  }
  return {};
}

void write_string_map(std::string& out, const StringMap& map) {
  if (map.empty()) {
    out += "null";
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [k, v] : map) {
    if (!first) out += ',';
    first = false;
    model::append_json_string(out, k);
    out += ':';
    model::append_json_string(out, v);
  }
  out += '}';
}

void write_multi_map(std::string& out, const MultiMap& map) {
  if (map.empty()) {
    out += "null";
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [k, values] : map) {
    if (!first) out += ',';
    first = false;
    model::append_json_string(out, k);
    out += ":[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i != 0) out += ',';
      model::append_json_string(out, values[i]);
    }
    out += ']';
  }
  out += '}';
}

void field(std::string& out, std::string_view name, std::string_view value, bool comma = true) {
  if (comma) out += ',';
  model::append_json_string(out, name);
  out += ':';
  model::append_json_string(out, value);
}

}  // namespace

std::optional<std::string> ApiGatewayRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  for (const auto& [k, values] : multi_value_headers) {
    if (iequals(k, name) && !values.empty()) return values.back();
  }
  return std::nullopt;
}

std::optional<std::string> ApiGatewayRequest::query(std::string_view name) const {
  auto it = query_string_parameters.find(std::string(name));
  if (it != query_string_parameters.end()) return it->second;
  auto m = multi_value_query_string_parameters.find(std::string(name));
  if (m != multi_value_query_string_parameters.end() && !m->second.empty()) {
    return m->second.back();
  }
  return std::nullopt;
}

std::optional<std::string> ApiGatewayResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  for (const auto& [k, values] : multi_value_headers) {
    if (iequals(k, name) && !values.empty()) return values.back();
  }
  return std::nullopt;
}

Result<ApiGatewayRequest> parse_api_gateway_request(std::string_view json) {
  constexpr std::string_view kWhat = "API Gateway event";
  thread_local dom::parser parser;
  dom::element root;
  if (auto e = parser.parse(json.data(), json.size(), true).get(root); e) {
    return Error::invalid(std::string(kWhat) + ": not JSON: " + simdjson::error_message(e));
  }
  dom::object event;
  if (root.get_object().get(event)) return Error::invalid(std::string(kWhat) + ": not an object");
  ApiGatewayRequest r;
  for (auto [name, target] : {std::pair<std::string_view, std::string*>{"resource", &r.resource},
                              {"path", &r.path},
                              {"httpMethod", &r.http_method}}) {
    if (auto s = read_string(event, name, *target, kWhat); !s.ok()) return std::move(s).error();
  }
  if (r.http_method.empty()) return bad(kWhat, "httpMethod", "is required");
  if (r.path.empty()) return bad(kWhat, "path", "is required");
  Status s = read_string_map(event, "headers", r.headers, kWhat);
  if (s.ok()) s = read_multi_map(event, "multiValueHeaders", r.multi_value_headers, kWhat);
  if (s.ok()) s = read_string_map(event, "queryStringParameters", r.query_string_parameters, kWhat);
  if (s.ok()) {
    s = read_multi_map(event, "multiValueQueryStringParameters",
                       r.multi_value_query_string_parameters, kWhat);
  }
  if (s.ok()) s = read_string_map(event, "pathParameters", r.path_parameters, kWhat);
  if (s.ok()) s = read_string_map(event, "stageVariables", r.stage_variables, kWhat);
  if (!s.ok()) return std::move(s).error();

  dom::element body;
  if (!event["body"].get(body) && !body.is_null()) {
    std::string_view text;
    if (body.get_string().get(text)) return bad(kWhat, "body", "must be a string or null");
    r.body = std::string(text);
  }
  dom::element b64;
  if (!event["isBase64Encoded"].get(b64) && !b64.is_null()) {
    if (b64.get_bool().get(r.is_base64_encoded)) return bad(kWhat, "isBase64Encoded", "must be a boolean");
  }

  dom::element ctx_value;
  if (!event["requestContext"].get(ctx_value) && !ctx_value.is_null()) {
    dom::object ctx;
    if (ctx_value.get_object().get(ctx)) return bad(kWhat, "requestContext", "must be an object");
    auto& c = r.request_context;
    for (auto [name, target] : {std::pair<std::string_view, std::string*>{"requestId", &c.request_id},
                                {"stage", &c.stage},
                                {"resourcePath", &c.resource_path},
                                {"httpMethod", &c.http_method},
                                {"path", &c.path},
                                {"accountId", &c.account_id},
                                {"apiId", &c.api_id}}) {
      if (auto st = read_string(ctx, name, *target, "API Gateway requestContext"); !st.ok()) {
        return std::move(st).error();
      }
    }
    dom::element epoch;
    if (!ctx["requestTimeEpoch"].get(epoch) && !epoch.is_null()) {
      if (epoch.get_int64().get(c.request_time_epoch)) {
        return bad(kWhat, "requestContext.requestTimeEpoch", "must be an integer");
      }
    }
    dom::element identity_value;
    dom::object identity;
    if (!ctx["identity"].get(identity_value) && !identity_value.get_object().get(identity)) {
      constexpr std::string_view kIdentity = "API Gateway requestContext.identity";
      for (auto [name, target] : {std::pair<std::string_view, std::string*>{"sourceIp", &c.source_ip},
                                  {"apiKey", &c.api_key},
                                  {"userAgent", &c.user_agent}}) {
        if (auto st = read_string(identity, name, *target, kIdentity); !st.ok()) {
          return std::move(st).error();
        }
      }
    }
  }
  return r;
}

std::string to_json(const ApiGatewayRequest& r) {
  const auto& c = r.request_context;
  std::string out = "{";
  field(out, "resource", r.resource, false);
  field(out, "path", r.path);
  field(out, "httpMethod", r.http_method);
  out += ",\"headers\":";
  write_string_map(out, r.headers);
  out += ",\"multiValueHeaders\":";
  write_multi_map(out, r.multi_value_headers);
  out += ",\"queryStringParameters\":";
  write_string_map(out, r.query_string_parameters);
  out += ",\"multiValueQueryStringParameters\":";
  write_multi_map(out, r.multi_value_query_string_parameters);
  out += ",\"pathParameters\":";
  write_string_map(out, r.path_parameters);
  out += ",\"stageVariables\":";
  write_string_map(out, r.stage_variables);
  out += ",\"requestContext\":{";
  field(out, "resourceId", "cfw0", false);
  field(out, "resourcePath", c.resource_path);
  field(out, "httpMethod", c.http_method);
  field(out, "extendedRequestId", c.request_id);
  field(out, "path", c.path);
  field(out, "accountId", c.account_id);
  field(out, "protocol", "HTTP/1.1");
  field(out, "stage", c.stage);
  field(out, "domainPrefix", c.api_id);
  out += ",\"requestTimeEpoch\":" + std::to_string(c.request_time_epoch);
  field(out, "requestId", c.request_id);
  out += ",\"identity\":{";
  field(out, "sourceIp", c.source_ip, false);
  field(out, "apiKey", c.api_key);
  field(out, "userAgent", c.user_agent);
  out += ",\"cognitoIdentityPoolId\":null,\"accountId\":null,\"caller\":null,\"user\":null,"
         "\"userArn\":null}";
  field(out, "apiId", c.api_id);
  out += "},\"body\":";
  if (r.body) {
    model::append_json_string(out, *r.body);
  } else {
    out += "null";
  }
  out += ",\"isBase64Encoded\":";
  out += r.is_base64_encoded ? "true" : "false";
  out += '}';
  return out;
}

std::string to_json(const ApiGatewayResponse& response) {
  std::string out = "{\"statusCode\":" + std::to_string(response.status_code) + ",\"headers\":{";
  for (std::size_t i = 0; i < response.headers.size(); ++i) {
    if (i != 0) out += ',';
    model::append_json_string(out, response.headers[i].first);
    out += ':';
    model::append_json_string(out, response.headers[i].second);
  }
  out += "},\"multiValueHeaders\":";
  if (response.multi_value_headers.empty()) {
    out += "{}";
  } else {
    write_multi_map(out, response.multi_value_headers);
  }
  out += ",\"body\":";
  model::append_json_string(out, response.body);
  out += ",\"isBase64Encoded\":";
  out += response.is_base64_encoded ? "true" : "false";
  out += '}';
  return out;
}

Result<ApiGatewayResponse> parse_api_gateway_response(std::string_view json) {
  constexpr std::string_view kWhat = "API Gateway response";
  thread_local dom::parser parser;
  dom::element root;
  if (auto e = parser.parse(json.data(), json.size(), true).get(root); e) {
    return Error::invalid(std::string(kWhat) + ": not JSON: " + simdjson::error_message(e));
  }
  dom::object object;
  if (root.get_object().get(object)) return Error::invalid(std::string(kWhat) + ": not an object");
  ApiGatewayResponse r;
  int64_t status = 0;
  if (object["statusCode"].get_int64().get(status)) return bad(kWhat, "statusCode", "must be an integer");
  r.status_code = static_cast<int>(status);
  StringMap headers;
  if (auto s = read_string_map(object, "headers", headers, kWhat); !s.ok()) return std::move(s).error();
  r.headers.assign(headers.begin(), headers.end());
  if (auto s = read_multi_map(object, "multiValueHeaders", r.multi_value_headers, kWhat); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = read_string(object, "body", r.body, kWhat); !s.ok()) return std::move(s).error();
  dom::element b64;
  if (!object["isBase64Encoded"].get(b64) && !b64.is_null()) {
    if (b64.get_bool().get(r.is_base64_encoded)) return bad(kWhat, "isBase64Encoded", "must be a boolean");
  }
  return r;
}

}  // namespace cartflow::events
