// SPDX-License-Identifier: Apache-2.0
#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <strings.h>

namespace cartflow::e2e {

namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\nbody" into `out`; false if incomplete.
bool parse_response(const std::string& raw, bool eof, HttpResponse& out) {
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  HttpResponse r;
  std::size_t line_end = raw.find("\r\n");
  const std::string status_line = raw.substr(0, line_end);
  const auto sp = status_line.find(' ');
  if (sp == std::string::npos) return false;
  r.status = std::atoi(status_line.c_str() + sp + 1);
  std::optional<std::size_t> length;
  std::size_t pos = line_end + 2;
  while (pos < head_end) {
    const std::size_t end = raw.find("\r\n", pos);
    const std::string line = raw.substr(pos, end - pos);
    pos = end + 2;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (strcasecmp(name.c_str(), "content-length") == 0) length = std::stoul(value);
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  const std::size_t body_start = head_end + 4;
  if (length) {
    if (raw.size() < body_start + *length) return false;
    r.body = raw.substr(body_start, *length);
  } else {
    if (!eof) return false;
    r.body = raw.substr(body_start);
  }
  out = std::move(r);
  return true;
}

}  // namespace

std::optional<std::string> HttpResponse::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (strcasecmp(n.c_str(), name.c_str()) == 0) return v;
  }
  return std::nullopt;
}

boost::json::value HttpResponse::json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

std::string HttpResponse::json_string(const char* name) const {
  const boost::json::value v = json();
  if (!v.is_object()) return {};
  const boost::json::value* member = v.as_object().if_contains(name);
  return member != nullptr && member->is_string() ? std::string(member->as_string()) : "";
}

HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& target,
                          const Headers& headers, const std::optional<std::string>& body,
                          std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  HttpResponse result;
  Socket socket;
  if (socket.fd() < 0) {
    result.error = std::string("socket: ") + std::strerror(errno);
    return result;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    result.error = std::string("connect: ") + std::strerror(errno);
    return result;
  }
  const int one = 1;
  ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                        std::to_string(port) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (body) {
    request += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  }
  request += "\r\n";
  if (body) request += *body;

  // Send and receive together: a server may answer (413) and close before reading everything.
  std::string raw;
  std::size_t sent = 0;
  bool eof = false;
  char buffer[16384];
  while (!parse_response(raw, eof, result)) {
    if (eof) {
      HttpResponse r;
      r.error = raw.empty() ? "connection closed without a response" : "truncated response";
      return r;
    }
    pollfd p{socket.fd(), static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0)), 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready == 0) {
      HttpResponse r;
      r.error = "timeout after " + std::to_string(timeout.count()) + " ms";
      return r;
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      HttpResponse r;
      r.error = std::string("poll: ") + std::strerror(errno);
      return r;
    }
    if ((p.revents & POLLOUT) != 0 && sent < request.size()) {
      const ssize_t n = ::send(socket.fd(), request.data() + sent, request.size() - sent,
                               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        sent = request.size();  // the peer stopped reading: its answer may still be there
      }
    }
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) {
        raw.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        eof = true;
      }
    }
  }
  return result;
}

HttpResponse call(std::uint16_t port, const std::string& key, const std::string& method,
                  const std::string& target, const std::optional<std::string>& body) {
  Headers headers;
  if (!key.empty()) headers.emplace_back("x-api-key", key);
  if (body) headers.emplace_back("Content-Type", "application/json");
  return http_request(port, method, target, headers, body);
}

}  // namespace cartflow::e2e
