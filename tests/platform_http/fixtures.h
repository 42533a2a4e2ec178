// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test doubles for the platform HTTP tests: a handler that echoes the typed request it receives
// as the response body, a temporary database, and a tiny blocking HTTP/1.1 client over POSIX sockets.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "embedded/database.h"
#include "events/api_gateway.h"
#include "functions/api_request.h"
#include "functions/api_router.h"
#include "support/temp_dir.h"

namespace cartflow::platform::testing {

// Answers 200 with what it received, in the proxy event's member names (resource, path,
// httpMethod, pathParameters, queryStringParameters, body, requestContext.requestId,
// requestContext.identity.{apiKey, sourceIp}); counts calls; can be told to throw or to answer
// a status that is not HTTP.
class EchoHandler final : public functions::ApiRequestHandler {
 public:
  functions::ApiResponse serve(const functions::ApiRequest& request) override {
    ++calls;
    if (fail) throw std::runtime_error("told to fail");
    functions::ApiResponse r;
    r.status = malformed ? 0 : 200;
    r.headers.emplace_back("Content-Type", "application/json");
    boost::json::object e;
    e["resource"] = request.route == nullptr ? "" : request.route->path_template;
    e["path"] = request.path;
    e["httpMethod"] = request.method;
    boost::json::object params;
    for (const auto& p : request.path_params) params[p.name] = p.value;
    e["pathParameters"] = params;
    boost::json::object query;
    for (const auto& [k, v] : request.query) query[k] = v;
    e["queryStringParameters"] = query;
    if (request.has_body) e["body"] = request.body;
    boost::json::object identity;
    identity["apiKey"] = request.api_key;
    identity["sourceIp"] = request.source_ip;
    boost::json::object context;
    context["requestId"] = request.request_id;
    context["identity"] = identity;
    e["requestContext"] = context;
    r.body = boost::json::serialize(e);
    return r;
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::atomic<bool> malformed{false};
};

// A database file in a fresh temporary folder, removed at the end.
struct TempDatabase {
  TempDatabase() : path(dir.file("cartflow.db")) {}
  embedded::Database& open() {
    db.reset();
    auto r = embedded::Database::open({path, false, 2});
    if (!r.ok()) std::abort();
    db = std::move(*r);
    return *db;
  }
  support::TempDir dir{"cartflow-http"};
  std::string path;
  std::unique_ptr<embedded::Database> db;  // declared last: closed before the folder goes
};

// One blocking client connection to 127.0.0.1:port. Reads time out after 20 s so that a broken
// server fails the test instead of hanging it (no assertion depends on that time).
class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{20, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  struct Response {
    int status = 0;
    std::string head;  // status line and headers
    std::string body;
    std::optional<std::string> header(std::string_view name) const {
      std::string lower_head;
      for (char c : head) lower_head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string key = "\r\n";
      for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      key += ":";
      auto p = lower_head.find(key);
      if (p == std::string::npos) return std::nullopt;
      auto start = p + key.size();
      auto end = head.find("\r\n", start);
      std::string v = head.substr(start, end - start);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      return v;
    }
  };

  // Reads one response (Content-Length framing); std::nullopt when the connection closes first.
  std::optional<Response> read_response() {
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    auto end = buffer_.find("\r\n\r\n");
    Response r;
    r.head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    r.status = std::atoi(r.head.c_str() + 9);
    std::size_t length = std::stoul(r.header("Content-Length").value_or("0"));
    while (buffer_.size() < length) {
      if (!fill()) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (EOF or reset) without sending anything more.
  bool closed_by_peer() {
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool fill() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

inline std::string get(std::string_view target, std::string_view extra_headers = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

}  // namespace cartflow::platform::testing
