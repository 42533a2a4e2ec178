// SPDX-License-Identifier: Apache-2.0
#include "fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

namespace cartflow::aws::testing {
namespace {

constexpr int kPollMs = 20;

ScriptedResponse error_response(int status, std::string reason, std::string content_type,
                                std::string body) {
  ScriptedResponse r;
  r.status = status;
  r.reason = std::move(reason);
  r.headers = {{"Content-Type", std::move(content_type)},
               {"x-amzn-RequestId", "FAULTPROXY0000000000000000000000000000000000000000000"}};
  r.body = std::move(body);
  return r;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The value of header `name` (lowercase) in an HTTP head; empty when absent.
std::string header_of(const std::string& head, const std::string& name) {
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos && pos + 2 < head.size()) {
    std::size_t start = pos + 2;
    std::size_t end = head.find("\r\n", start);
    std::string line = head.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == name) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      while (!value.empty() && value.back() == ' ') value.pop_back();
      return value;
    }
    pos = end;
  }
  return {};
}

void reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads from `fd` into `buf` until pred(buf) holds; false on EOF, error or `stop`.
template <typename Pred>
bool read_until(int fd, std::string& buf, const std::atomic<bool>& stop, Pred pred) {
  char tmp[8192];
  while (!pred(buf)) {
    if (stop) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
  return true;
}

bool read_bytes(int fd, std::string& buf, std::size_t n, const std::atomic<bool>& stop) {
  return read_until(fd, buf, stop, [n](const std::string& b) { return b.size() >= n; });
}

bool read_head(int fd, std::string& buf, const std::atomic<bool>& stop, std::size_t& head_end) {
  bool ok = read_until(fd, buf, stop, [](const std::string& b) {
    return b.find("\r\n\r\n") != std::string::npos;
  });
  if (ok) head_end = buf.find("\r\n\r\n") + 4;
  return ok;
}

// Takes one whole HTTP message (head and body) off the front of `buf`, reading more from `fd`.
// Bodies are framed by Content-Length or (responses) chunked encoding.
bool take_message(int fd, std::string& buf, const std::atomic<bool>& stop, std::string& message,
                  std::string* head_out = nullptr) {
  std::size_t head_end = 0;
  if (!read_head(fd, buf, stop, head_end)) return false;
  std::string head = buf.substr(0, head_end - 2);
  if (head_out) *head_out = head;
  std::size_t end = head_end;
  if (lower(header_of(head, "transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      if (!read_until(fd, buf, stop, [end](const std::string& b) {
            return b.find("\r\n", end) != std::string::npos;
          })) {
        return false;
      }
      std::size_t line_end = buf.find("\r\n", end);
      std::size_t size = std::strtoul(buf.substr(end, line_end - end).c_str(), nullptr, 16);
      end = line_end + 2;
      if (size == 0) {  // trailers end with an empty line
        if (!read_until(fd, buf, stop, [end](const std::string& b) {
              return b.find("\r\n", end) != std::string::npos;
            })) {
          return false;
        }
        std::size_t t = buf.find("\r\n", end);
        while (t != end) {
          end = t + 2;
          if (!read_until(fd, buf, stop, [end](const std::string& b) {
                return b.find("\r\n", end) != std::string::npos;
              })) {
            return false;
          }
          t = buf.find("\r\n", end);
        }
        end += 2;
        break;
      }
      if (!read_bytes(fd, buf, end + size + 2, stop)) return false;
      end += size + 2;
    }
  } else {
    std::string length = header_of(head, "content-length");
    end += length.empty() ? 0 : std::strtoul(length.c_str(), nullptr, 10);
    if (!read_bytes(fd, buf, end, stop)) return false;
  }
  message = buf.substr(0, end);
  buf.erase(0, end);
  return true;
}

int connect_upstream(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

ScriptedResponse dynamodb_error(int status, const std::string& type_with_namespace,
                                const std::string& message) {
  return error_response(status, status == 400 ? "Bad Request" : "Error", "application/x-amz-json-1.0",
                        "{\"__type\":\"" + type_with_namespace + "\",\"message\":\"" + message + "\"}");
}

ScriptedResponse provisioned_throughput_exceeded() {
  return dynamodb_error(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                        "The level of configured provisioned throughput for the table was exceeded. "
                        "Consider increasing your provisioning level with the UpdateTable API.");
}

ScriptedResponse throttling_exception() {
  return dynamodb_error(400, "com.amazon.coral.availability#ThrottlingException",
                        "Rate of requests exceeds the allowed throughput.");
}

ScriptedResponse internal_server_error() {
  return dynamodb_error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError",
                        "Internal server error");
}

ScriptedResponse service_unavailable() {
  return dynamodb_error(503, "com.amazon.coral.availability#ServiceUnavailableException",
                        "Service unavailable");
}

ScriptedResponse bad_gateway_html() {
  return error_response(502, "Bad Gateway", "text/html",
                        "<html><body><h1>502 Bad Gateway</h1></body></html>");
}

FaultProxy::FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(fd_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
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

void FaultProxy::set(Fault fault) {
  std::lock_guard lock(mutex_);
  fault_ = std::move(fault);
}

int FaultProxy::remaining() const {
  std::lock_guard lock(mutex_);
  return fault_.kind == FaultKind::kPass ? 0 : fault_.count;
}

std::vector<std::string> FaultProxy::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

void FaultProxy::reset_counters() {
  std::lock_guard lock(mutex_);
  seen_ = 0;
  forwarded_ = 0;
  accepted_ = 0;
  targets_.clear();
}

void FaultProxy::close_idle(std::size_t at_least) {
  std::unique_lock lock(mutex_);
  idle_changed_.wait_for(lock, std::chrono::seconds(10),
                         [&] { return idle_.size() >= at_least; });
  for (int fd : idle_) ::shutdown(fd, SHUT_RDWR);
  idle_changed_.wait(lock, [this] { return idle_.empty(); });
}

Fault FaultProxy::next_fault(bool reused, const std::string& target) {
  std::lock_guard lock(mutex_);
  if (fault_.kind == FaultKind::kPass) return Fault{};
  if (fault_.kind == FaultKind::kResetReused && !reused) return Fault{};
  const std::string& only = fault_.target;
  if (target.size() < only.size() || target.compare(target.size() - only.size(), only.size(), only) != 0) {
    return Fault{};
  }
  Fault out = fault_;
  if (fault_.count > 0 && --fault_.count == 0) fault_ = Fault{};
  return out;
}

bool FaultProxy::wait_ms(std::chrono::milliseconds d) const {
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
    if (stop_) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void FaultProxy::accept_loop() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) continue;
    ++accepted_;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, c] { serve(c); });
  }
}

void FaultProxy::serve(int client) {
  std::string in, up_buf;
  int up = -1;
  bool reused = false;
  bool open = true;
  auto set_idle = [&](bool idle) {
    std::lock_guard lock(mutex_);
    if (idle) {
      idle_.insert(client);
    } else {
      idle_.erase(client);
    }
    idle_changed_.notify_all();
  };
  while (open && !stop_) {
    if (in.empty()) set_idle(true);
    std::string request, head;
    bool got = take_message(client, in, stop_, request, &head);
    set_idle(false);
    if (!got) break;
    ++seen_;
    std::string target = header_of(head, "x-amz-target");
    {
      std::lock_guard lock(mutex_);
      targets_.push_back(target);
    }
    Fault fault = next_fault(reused, target);
    reused = true;
    if (fault.kind == FaultKind::kAnswer) {
      const ScriptedResponse& r = fault.response;
      std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + r.reason + "\r\n";
      for (const auto& [n, v] : r.headers) out += n + ": " + v + "\r\n";
      out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
      open = send_all(client, out);
      continue;
    }
    if (fault.kind == FaultKind::kResetBeforeForward || fault.kind == FaultKind::kResetReused) {
      reset(client);
      client = -1;
      break;
    }
    if (up < 0) up = connect_upstream(upstream_port_);
    std::string response;
    bool relayed = up >= 0 && send_all(up, request);
    if (relayed) ++forwarded_;
    relayed = relayed && take_message(up, up_buf, stop_, response);
    if (!relayed || fault.kind == FaultKind::kResetAfterForward) {
      reset(client);
      client = -1;
      break;
    }
    if (fault.kind == FaultKind::kTruncateAfterForward) {
      send_all(client, response.substr(0, response.size() / 2));
      reset(client);
      client = -1;
      break;
    }
    if (fault.kind == FaultKind::kDelay && !wait_ms(fault.delay)) break;
    open = send_all(client, response);
  }
  if (up >= 0) ::close(up);
  if (client >= 0) ::close(client);
}

}  // namespace cartflow::aws::testing
