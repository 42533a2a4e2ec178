// SPDX-License-Identifier: Apache-2.0
#pragma once

// HttpClient: HTTP/1.1 (and HTTPS with certificate verification) for the AWS clients, on
// Boost.Beast and OpenSSL.
// Connections are kept alive and reused per endpoint across calls and threads; warm_up() opens
// one ahead of the first call (a TLS handshake in Lambda's init phase has the full CPU).
// Thread-safe: any number of threads may call send() at once.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/result.h"

namespace cartflow::aws {

using model::Result;
using model::Status;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: http(s)://host[:port]/path?query (already percent-encoded)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;
  // Value of the first header named `name` (case-insensitive); empty when absent.
  std::string header(std::string_view name) const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{30000};  // whole exchange, including connect
  // CA bundle for TLS; when empty, find_ca_bundle() decides.
  std::string ca_file;
  // Idle kept-alive connections, in total over all endpoints; the least recently used one is
  // closed when a new one would exceed it. 0: no connection is kept.
  std::size_t max_idle_handles = 16;
};

// The CA bundle: SSL_CERT_FILE when set and readable, else Debian's
// /etc/ssl/certs/ca-certificates.crt, else Amazon Linux's /etc/pki/tls/certs/ca-bundle.crt.
// Returns std::nullopt when none exists (OpenSSL's default paths are then used).
std::optional<std::string> find_ca_bundle();

class Tracer;

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and reads the whole response. Any HTTP status is a success here (the
  // caller interprets it). Fails with kUnavailable when the endpoint cannot be reached, the
  // connection breaks, or a timeout expires (the message says which); kInvalidArgument for a
  // malformed URL. A request that went out (even in part) is never re-sent here, also when a
  // kept-alive connection dies before the answer: that is kUnavailable and the caller's retries
  // decide. An idle connection the server closed is detected before use and replaced.
  Result<HttpResponse> send(const HttpRequest& request);

  // Opens (and keeps) a connection to the scheme://host:port of `url`, TLS handshake included,
  // so that the next send() to that endpoint reuses it. Fails like send().
  Status warm_up(const std::string& url);

  // Number of new connections opened so far (for tests and metrics).
  std::size_t connections_opened() const;

  // The X-Ray tracer of the AWS calls made through this client (aws/xray.h); null: none. Set
  // it before the client is used from other threads; it must outlive the client's use.
  void set_tracer(const Tracer* tracer) { tracer_ = tracer; }
  const Tracer* tracer() const { return tracer_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const Tracer* tracer_ = nullptr;
};

}  // namespace cartflow::aws
