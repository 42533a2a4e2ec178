// SPDX-License-Identifier: Apache-2.0
#pragma once

// A minimal HTTP/1.1 client over raw POSIX sockets, for the end-to-end tests of `cartflow serve`:
// one request per connection (`Connection: close`), every step bounded by a timeout.
// Thread-safe (no shared state); SIGPIPE is never raised (MSG_NOSIGNAL).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

namespace cartflow::e2e {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  // 0 when no response could be read (connection refused, reset, timeout); `error` says why.
  int status = 0;
  Headers headers;
  std::string body;
  std::string error;

  // The first header `name` (case-insensitive), std::nullopt when absent.
  std::optional<std::string> header(const std::string& name) const;
  // The body parsed as JSON; a null value when it is not JSON.
  boost::json::value json() const;
  // The string member `name` of the JSON object body; "" when absent.
  std::string json_string(const char* name) const;
};

// Sends one request to 127.0.0.1:`port` and reads the whole response. A body, when present, is
// sent with Content-Length. If the server answers before the body is all sent (413), the
// answer is still read.
HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& target,
                          const Headers& headers = {}, const std::optional<std::string>& body = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(15));

// The usual call: `x-api-key: key` (none when `key` is empty) and a JSON body when given.
HttpResponse call(std::uint16_t port, const std::string& key, const std::string& method,
                  const std::string& target, const std::optional<std::string>& body = {});

}  // namespace cartflow::e2e
