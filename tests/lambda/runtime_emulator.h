// SPDX-License-Identifier: Apache-2.0
#pragma once

// RuntimeEmulator: the Lambda Runtime API on 127.0.0.1 (an ephemeral port) for tests. It sends
// what @vercel/fun does not: deadline, trace id, client context and Cognito headers, 413 for
// oversized responses, 500 on /next, closed keep-alive connections. One thread accepts, one
// thread serves each connection. Thread-safe; all waits take a timeout so a broken runtime
// fails the test instead of hanging it.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cartflow::tests {

class RuntimeEmulator {
 public:
  using Headers = std::map<std::string, std::string>;
  using Clock = std::chrono::steady_clock;

  // What the runtime posted for one invocation.
  struct Outcome {
    bool is_error = false;   // /error rather than /response
    std::string body;
    std::string error_type;  // Lambda-Runtime-Function-Error-Type header of an /error
  };

  RuntimeEmulator();
  ~RuntimeEmulator();  // stops: pending /next requests see their connection closed

  // "127.0.0.1:PORT", the value of AWS_LAMBDA_RUNTIME_API.
  std::string address() const;

  // Queues an event; `headers` are sent in /next's answer besides Lambda-Runtime-Aws-Request-Id
  // (generated, returned) and, unless given, a deadline 60 s ahead and an ARN.
  std::string enqueue(std::string event, Headers headers = {});

  // Waits up to `timeout` for the runtime's answer to invocation `request_id`.
  std::optional<Outcome> wait_outcome(const std::string& request_id,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Waits for the first /runtime/init/error; its body and type header.
  std::optional<Outcome> wait_init_error(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Answer responses larger than `bytes` with 413 (Lambda's own limit check).
  void set_response_limit(std::size_t bytes);
  // Answer the next /next with 500 (the runtime must exit).
  void fail_next_once();
  // Close the connection after answering each /next (a peer that does not keep alive).
  void set_close_after_next(bool close);

  int connections_accepted() const;
  int next_requests() const;
  // When the first /next arrived since construction or the last reset_first_next().
  std::optional<Clock::time_point> wait_first_next(std::chrono::milliseconds timeout);
  void reset_first_next();
  // When the first connection was accepted (the runtime connects early in its init).
  std::optional<Clock::time_point> first_connection() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cartflow::tests
