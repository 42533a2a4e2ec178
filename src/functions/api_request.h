// SPDX-License-Identifier: Apache-2.0
#pragma once

// The api handler's typed request and response: what both doors hand the handler.
// - `cartflow serve` (platform::ApiGateway) builds an ApiRequest straight from the parsed HTTP
//   request, with the route it matched once (api_router.h);
// - the Lambda edge (ApiHandler::invoke / handle on an events::ApiGatewayRequest) decodes the
//   proxy event into the same ApiRequest and encodes the ApiResponse as the proxy response.
// An ApiRequest views memory owned by whoever built it (the HTTP request, the decoded event):
// it is valid only while that lives, and is meant to be built, served and dropped on one thread.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartflow::functions {

struct Route;

// The decoded path parameters of one matched route (at most kMax: the table's deepest template
// has two). No allocation beyond the values themselves.
class PathParams {
 public:
  static constexpr std::size_t kMax = 2;
  struct Param {
    std::string_view name;  // the template's name: static storage
    std::string value;      // percent-decoded
  };

  // Adds a parameter; returns false (and adds nothing) when kMax are already there.
  bool add(std::string_view name, std::string value);
  // The value of `name`; null when the route has no such parameter.
  const std::string* find(std::string_view name) const;
  std::size_t size() const { return size_; }
  const Param* begin() const { return items_.data(); }
  const Param* end() const { return items_.data() + size_; }

 private:
  std::array<Param, kMax> items_{};
  std::size_t size_ = 0;
};

struct ApiRequest {
  std::string_view method;        // "GET"
  const Route* route = nullptr;   // the matched route (api_routes()); never null when served
  std::string_view path;          // without the stage and the query, as sent (not decoded)
  PathParams path_params;
  std::vector<std::pair<std::string, std::string>> query;            // decoded, in order
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // names as sent
  std::string_view body;          // the bytes as sent (base64 already undone)
  bool has_body = false;
  std::string_view request_id;    // API Gateway's request id (never empty when served)
  std::string_view source_ip;
  std::string_view api_key;       // the x-api-key value the gateway checked; empty otherwise

  // The last value of header `name` (case-insensitive); std::nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
  // The last value of query parameter `name`; std::nullopt when absent.
  std::optional<std::string_view> query_param(std::string_view name) const;
  // The path parameter `name`; null when absent.
  const std::string* path_param(std::string_view name) const { return path_params.find(name); }
};

struct ApiResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as written
  std::string body;

  // The last value of header `name` (case-insensitive); std::nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
};

// The typed side of the api handler, as the gateway calls it (a port: tests put fakes behind
// the gateway). serve() is thread-safe, never throws for a request problem (every one is an
// HTTP status) and may block on the store.
class ApiRequestHandler {
 public:
  virtual ~ApiRequestHandler() = default;
  virtual ApiResponse serve(const ApiRequest& request) = 0;
};

// Percent-decodes `text` ("%2F" -> "/"; '+' -> ' ' when plus_as_space). Invalid escapes are kept
// as they are (validation rejects them later).
std::string percent_decode(std::string_view text, bool plus_as_space);

// Appends the parameters of a raw query string ("a=1&b=x+y&c") to `out`, in order: names and
// values percent-decoded, '+' a space, "c" alone gives c="".
void parse_query_string(std::string_view query,
                        std::vector<std::pair<std::string, std::string>>& out);

// ASCII case-insensitive equality (header names).
bool iequals(std::string_view a, std::string_view b);

}  // namespace cartflow::functions
