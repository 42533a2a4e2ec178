// SPDX-License-Identifier: Apache-2.0
#pragma once

// LocalServer: a tiny HTTP/1.1 server on 127.0.0.1 (a free port) for tests: keep-alive,
// Content-Length bodies, a handler per request, and faults (connection reset, delay).
// Thread-safe; stops and joins its threads in the destructor.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cartflow::aws::testing {

struct LocalRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
};

struct LocalResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool reset = false;                 // close the connection without answering
  std::chrono::milliseconds delay{0}; // wait before answering
};

class LocalServer {
 public:
  using Handler = std::function<LocalResponse(const LocalRequest&)>;

  explicit LocalServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~LocalServer() {
    stop_ = true;
    acceptor_.join();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mutex_);
      workers.swap(workers_);
    }
    for (auto& t : workers) t.join();
    ::close(fd_);
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t connections() const { return connections_.load(); }
  std::size_t requests() const { return requests_.load(); }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++connections_;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, c] { serve(c); });
    }
  }

  // Reads until `buf` holds `n` bytes; false when the peer closed or the server stops.
  bool fill(int c, std::string& buf, std::size_t n) {
    char tmp[4096];
    while (buf.size() < n) {
      pollfd p{c, POLLIN, 0};
      if (stop_) return false;
      if (::poll(&p, 1, 50) <= 0) continue;
      ssize_t got = ::recv(c, tmp, sizeof tmp, 0);
      if (got <= 0) return false;
      buf.append(tmp, static_cast<std::size_t>(got));
    }
    return true;
  }

  void serve(int c) {
    std::string buf;
    while (!stop_) {
      std::size_t end;
      while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        if (!fill(c, buf, buf.size() + 1)) {
          ::close(c);
          return;
        }
      }
      LocalRequest req;
      std::string head = buf.substr(0, end);
      buf.erase(0, end + 4);
      std::size_t line_end = head.find("\r\n");
      std::string line = head.substr(0, line_end);
      req.method = line.substr(0, line.find(' '));
      req.target = line.substr(line.find(' ') + 1, line.rfind(' ') - line.find(' ') - 1);
      std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      while (pos < head.size()) {
        std::size_t e = head.find("\r\n", pos);
        if (e == std::string::npos) e = head.size();
        std::string h = head.substr(pos, e - pos);
        pos = e + 2;
        std::size_t colon = h.find(':');
        if (colon == std::string::npos) continue;
        std::string name = h.substr(0, colon);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        req.headers[name] = value;
      }
      std::size_t length = req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
      if (!fill(c, buf, length)) break;
      req.body = buf.substr(0, length);
      buf.erase(0, length);
      ++requests_;
      LocalResponse resp = handler_(req);
      if (resp.delay.count() > 0) std::this_thread::sleep_for(resp.delay);
      if (resp.reset) {
        linger l{1, 0};
        ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        break;
      }
      std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " X\r\n";
      for (const auto& [n, v] : resp.headers) out += n + ": " + v + "\r\n";
      out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n\r\n" + resp.body;
      if (::send(c, out.data(), out.size(), MSG_NOSIGNAL) < 0) break;
    }
    ::close(c);
  }

  Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> requests_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;  // GUARDED_BY(mutex_)
};

}  // namespace cartflow::aws::testing
