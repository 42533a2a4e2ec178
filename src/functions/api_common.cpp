// SPDX-License-Identifier: Apache-2.0
// Response builders, body and parameter parsing, page tokens and ids for the api routes.
#include <array>

#include "domain/keys.h"
#include "domain/product.h"
#include "functions/api_internal.h"
#include "model/dynamo_json.h"

namespace cartflow::functions::api {

ApiResponse json_response(const RequestContext& ctx, int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.headers.reserve(3);
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("X-Request-Id", ctx.request_id);
  r.body = std::move(body);
  return r;
}

ApiResponse error_response(const RequestContext& ctx, int status, std::string_view code,
                                  std::string_view message, std::string_view field,
                                  std::string_view extra) {
  std::string body = "{\"message\":";
  model::append_json_string(body, message);
  body += ",\"code\":";
  model::append_json_string(body, code);
  if (!field.empty()) {
    body += ",\"field\":";
    model::append_json_string(body, field);
  }
  body += ",\"request_id\":";
  model::append_json_string(body, ctx.request_id);
  if (!extra.empty()) {
    body += ',';
    body += extra;
  }
  body += '}';
  return json_response(ctx, status, std::move(body));
}

ApiResponse field_error(const RequestContext& ctx, const domain::FieldError& e) {
  static const std::array<std::string_view, 5> kUnprocessable{
      "ITEM_NOT_IN_CART", "QUANTITY_MISMATCH", "PRODUCT_NOT_FOUND", "ORDER_TOTAL_MISMATCH",
      "TOTAL_TOO_LARGE"};
  int status = 400;
  for (std::string_view c : kUnprocessable) {
    if (e.code == c) status = 422;
  }
  return error_response(ctx, status, e.code, e.message, e.field);
}

ApiResponse store_error(const RequestContext& ctx, const model::Error& error) {
  ctx.logger.log(LogLevel::kError, ctx.invocation, "store request failed",
                 {{"correlation_id", ctx.request_id},
                  {"error_type", model::error_code_name(error.code)},
                  {"error", error.message}});
  if (error.code == model::ErrorCode::kThrottled || error.code == model::ErrorCode::kUnavailable) {
    auto r = error_response(ctx, 503, "SERVICE_UNAVAILABLE",
                            "the service is busy or unavailable; retry later");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  return error_response(ctx, 500, "INTERNAL_ERROR",
                        "internal error; quote request id " + std::string(ctx.request_id));
}

std::variant<model::Item, ApiResponse> json_body(const RequestContext& ctx) {
  if (!ctx.has_body || ctx.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return error_response(ctx, 400, "MISSING_BODY", "a JSON object body is required", "body");
  }
  auto value = model::parse_plain_json(ctx.body);
  if (!value.ok()) {
    return error_response(ctx, 400, "INVALID_JSON",
                          "the body is not valid JSON: " + value.error().message, "body");
  }
  model::Item* item = value->as_m();
  if (item == nullptr) {
    return error_response(ctx, 400, "INVALID_BODY", "the body must be a JSON object", "body");
  }
  return std::move(*item);
}

std::variant<std::string, ApiResponse> id_param(const RequestContext& ctx,
                                                       std::string_view name) {
  const std::string* found = ctx.request.path_param(name);
  std::string_view value = found == nullptr ? std::string_view() : std::string_view(*found);
  auto checked = domain::path_id(value, name);
  if (auto* e = std::get_if<domain::FieldError>(&checked)) return field_error(ctx, *e);
  return std::get<std::string>(checked);
}

std::variant<std::int64_t, ApiResponse> limit_param(const RequestContext& ctx,
                                                           std::int64_t default_limit) {
  auto text = ctx.request.query_param("limit");
  if (!text) return default_limit;
  auto checked = domain::page_size(*text, "limit");
  if (auto* e = std::get_if<domain::FieldError>(&checked)) return field_error(ctx, *e);
  return std::get<std::int64_t>(checked);
}

std::string encode_page_token(const model::Item& key) {
  std::string t = model::base64_encode(model::to_dynamo_json(key));
  for (char& c : t) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!t.empty() && t.back() == '=') t.pop_back();
  return t;
}

std::optional<model::Item> decode_page_token(std::string_view token) {
  if (token.empty() || token.size() > 4096) return std::nullopt;
  std::string t(token);
  for (char& c : t) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;
  }
  while (t.size() % 4 != 0) t += '=';
  auto json = model::base64_decode(t);
  if (!json.ok()) return std::nullopt;
  auto item = model::parse_item(*json);
  if (!item.ok()) return std::nullopt;
  for (const auto& [name, value] : *item) {
    if (!value.is_s()) return std::nullopt;  // our keys are all strings
  }
  return std::move(*item);
}

model::Result<std::size_t> append_public_query_all(ports::Table& table,
                                                   ports::QueryRequest request, std::string& out) {
  std::size_t count = 0;
  for (int page = 0; page < 10'000; ++page) {
    auto result = table.query_plain(request, domain::kKeyAttributes, out);
    if (!result.ok()) return std::move(result).error();
    count += result->count;
    if (!result->last_evaluated_key) return count;
    request.exclusive_start_key = std::move(result->last_evaluated_key);
  }
  return model::Error::internal("query did not finish after 10000 pages");
}

void append_public_items(std::string& out, std::vector<model::Item>& items) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ',';
    out += model::to_plain_json(domain::public_view(std::move(items[i])));
  }
  out += ']';
}

}  // namespace cartflow::functions::api
