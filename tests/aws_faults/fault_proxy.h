// SPDX-License-Identifier: Apache-2.0
#pragma once

// FaultProxy: an HTTP/1.1 proxy for tests on 127.0.0.1 (a free port) in front of an upstream
// on 127.0.0.1, whose fault can be switched while it runs. Each client connection gets its own
// upstream connection; requests and responses are framed by Content-Length (responses also by
// chunked encoding), so faults apply per request on kept-alive connections.
// Faults (each for the next `count` requests, or until replaced when count < 0):
//   kPass                   forward and relay;
//   kDelay                  forward, then wait `delay` before relaying the response;
//   kResetBeforeForward     reset the client connection (SO_LINGER 0 + close), nothing forwarded;
//   kResetReused            like kResetBeforeForward, but only for a request arriving on a
//                           connection that already served one (a server that closed a kept-alive
//                           connection as the request came in); other requests pass;
//   kResetAfterForward      forward, read the upstream's answer, then reset the client connection
//                           (the write is applied, its answer lost);
//   kTruncateAfterForward   forward, relay the first half of the upstream's answer, then reset;
//   kAnswer                 answer with `response` itself, nothing forwarded.
// close_idle() closes (FIN) every client connection waiting for its next request, as a server's
// idle timeout does. Thread-safe; the destructor stops and joins all threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cartflow::aws::testing {

struct ScriptedResponse {
  int status = 200;
  std::string reason = "OK";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The error responses as DynamoDB sends them (x-amz-json-1.0, __type with its namespace).
ScriptedResponse dynamodb_error(int status, const std::string& type_with_namespace,
                                const std::string& message);
ScriptedResponse provisioned_throughput_exceeded();  // 400
ScriptedResponse throttling_exception();             // 400, com.amazon.coral.availability
ScriptedResponse internal_server_error();            // 500
ScriptedResponse service_unavailable();              // 503
ScriptedResponse bad_gateway_html();                 // 502 from a load balancer, no JSON

enum class FaultKind { kPass, kDelay, kResetBeforeForward, kResetReused, kResetAfterForward,
                       kTruncateAfterForward, kAnswer };

struct Fault {
  FaultKind kind = FaultKind::kPass;
  int count = -1;  // requests it applies to; < 0: until replaced
  std::chrono::milliseconds delay{0};
  ScriptedResponse response;
  std::string target;  // only requests whose X-Amz-Target ends with this; empty: all
};

class FaultProxy {
 public:
  explicit FaultProxy(int upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void set(Fault fault);
  void pass() { set(Fault{}); }
  // Requests still to be hit by the current fault (< 0: unlimited; 0: passing again).
  int remaining() const;

  // Waits (up to 10 s) until at least `at_least` client connections are idle (between requests:
  // the proxy marks a connection idle just after relaying an answer, which the client may have
  // read first), closes every idle one and waits until they are closed.
  void close_idle(std::size_t at_least = 1);

  // Counters since construction or reset_counters().
  std::size_t seen() const { return seen_.load(); }            // requests received
  std::size_t forwarded() const { return forwarded_.load(); }  // requests sent upstream
  std::size_t accepted() const { return accepted_.load(); }    // client connections
  // X-Amz-Target of the requests received, in order.
  std::vector<std::string> targets() const;
  void reset_counters();

 private:
  struct Conn;
  void accept_loop();
  void serve(int client);
  // The fault for the next request (consuming one of its count). `reused`: the connection
  // already served a request.
  Fault next_fault(bool reused, const std::string& target);
  bool wait_ms(std::chrono::milliseconds d) const;  // false when stopping

  int upstream_port_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> seen_{0}, forwarded_{0}, accepted_{0};
  std::thread acceptor_;

  mutable std::mutex mutex_;
  std::condition_variable idle_changed_;
  Fault fault_;                       // GUARDED_BY(mutex_)
  std::vector<std::string> targets_;  // GUARDED_BY(mutex_)
  std::set<int> idle_;                // GUARDED_BY(mutex_) client fds waiting for a request
  std::vector<std::thread> workers_;  // GUARDED_BY(mutex_)
};

}  // namespace cartflow::aws::testing
