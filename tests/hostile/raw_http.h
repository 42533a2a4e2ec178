// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test support: a blocking HTTP/1.1 client over raw POSIX sockets, so tests can send bytes no
// well-behaved client would (garbage, pipelines, a byte at a time). Responses are parsed only as
// far as the tests need: status, headers, a Content-Length body. Not thread-safe per connection.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace cartflow::testing {

struct RawResponse {
  int status = 0;  // 0: no (complete) response before the connection closed or timed out
  std::string headers;  // the header block as received, lower-cased
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(int port, int timeout_s = 30) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeout_s, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool connected() const { return connected_; }

  // Sends all of `bytes`; false when the peer closed or reset the connection.
  bool send_all(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads the next response (status line, headers, Content-Length body).
  RawResponse read_response() {
    RawResponse r;
    std::size_t header_end = std::string::npos;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (head.rfind("http/1.1 ", 0) != 0 || head.size() < 12) return r;
    std::size_t length = 0;
    if (auto pos = head.find("\r\ncontent-length:"); pos != std::string::npos) {
      length = std::stoul(head.substr(pos + 17));
    }
    while (buffer_.size() < length) {
      if (!fill()) return r;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    r.status = std::stoi(head.substr(9, 3));
    r.headers = std::move(head);
    return r;
  }

  // True when the server closed the connection (read returns 0 or an error before any byte).
  bool closed_by_peer() {
    if (!buffer_.empty()) return false;
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n == 1) buffer_.push_back(c);
    return n <= 0;
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

// One request on a fresh connection; the answer (status 0 when none came).
inline RawResponse raw_exchange(int port, std::string_view bytes) {
  RawConnection c(port);
  if (!c.connected()) return {};
  c.send_all(bytes);
  return c.read_response();
}

// A well-formed request; `key` empty: no x-api-key header.
inline std::string http_request(std::string_view method, std::string_view target,
                                std::string_view key, std::optional<std::string_view> body = {},
                                std::string_view extra_headers = "") {
  std::string r = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!key.empty()) r += "x-api-key: " + std::string(key) + "\r\n";
  r += std::string(extra_headers);
  if (body) {
    r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body->size()) +
         "\r\n\r\n" + std::string(*body);
  } else {
    r += "\r\n";
  }
  return r;
}

}  // namespace cartflow::testing
