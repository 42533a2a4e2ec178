// SPDX-License-Identifier: Apache-2.0
#include "runtime_emulator.h"

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace cartflow::tests {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kPrefix = "/2018-06-01/runtime";

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct RuntimeEmulator::Impl {
  struct Pending {
    std::string id;
    std::string event;
    Headers headers;
  };

  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  std::thread accept_thread;

  mutable std::mutex mutex;
  std::condition_variable changed;
  bool stopping = false;
  std::deque<Pending> queue;
  std::map<std::string, Outcome> outcomes;
  std::vector<Outcome> init_errors;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::vector<std::thread> threads;
  std::size_t response_limit = 16 * 1024 * 1024;
  bool fail_next = false;
  bool close_after_next = false;
  int connections = 0;
  int next_requests = 0;
  int sequence = 0;
  std::optional<Clock::time_point> first_next;
  std::optional<Clock::time_point> first_connection;

  void accept_loop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(io);
      boost::system::error_code ec;
      acceptor.accept(*socket, ec);
      std::lock_guard lock(mutex);
      if (stopping) return;
      if (ec) continue;
      if (!first_connection) first_connection = Clock::now();
      ++connections;
      sockets.push_back(socket);
      threads.emplace_back([this, socket] { serve(*socket); });
    }
  }

  // Blocks until an invocation is queued; nullopt when stopping.
  std::optional<Pending> take_next() {
    std::unique_lock lock(mutex);
    ++next_requests;
    if (!first_next) first_next = Clock::now();
    changed.notify_all();
    changed.wait(lock, [&] { return stopping || !queue.empty(); });
    if (stopping) return std::nullopt;
    Pending p = std::move(queue.front());
    queue.pop_front();
    return p;
  }

  void serve(tcp::socket& socket) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(32 * 1024 * 1024);
      boost::system::error_code ec;
      http::read(socket, buffer, parser, ec);
      if (ec) return;
      http::request<http::string_body> req = parser.release();
      http::response<http::string_body> res{http::status::accepted, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = "{\"status\":\"OK\"}";
      bool close = false;
      const std::string target(req.target());
      const std::string invocation = std::string(kPrefix) + "/invocation/";
      if (req.method() == http::verb::get && target == std::string(kPrefix) + "/invocation/next") {
        bool fail = false;
        {
          std::lock_guard lock(mutex);
          fail = fail_next;
          fail_next = false;
          close = close_after_next;
        }
        if (fail) {
          {
            std::lock_guard lock(mutex);
            ++next_requests;
          }
          res.result(http::status::internal_server_error);
          res.body() = "{\"errorMessage\":\"environment broken\",\"errorType\":\"Runtime.Broken\"}";
        } else {
          auto pending = take_next();
          if (!pending) return;
          res.result(http::status::ok);
          res.set("Lambda-Runtime-Aws-Request-Id", pending->id);
          if (!pending->headers.count("Lambda-Runtime-Deadline-Ms")) {
            res.set("Lambda-Runtime-Deadline-Ms", std::to_string(unix_ms_now() + 60000));
          }
          if (!pending->headers.count("Lambda-Runtime-Invoked-Function-Arn")) {
            res.set("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-1:123456789012:function:cartflow-test");
          }
          for (const auto& [name, value] : pending->headers) res.set(name, value);
          res.body() = std::move(pending->event);
        }
      } else if (req.method() == http::verb::post && target.rfind(invocation, 0) == 0) {
        const std::string rest = target.substr(invocation.size());
        const std::size_t slash = rest.find('/');
        const std::string id = rest.substr(0, slash);
        const std::string kind = slash == std::string::npos ? "" : rest.substr(slash + 1);
        std::lock_guard lock(mutex);
        if (kind == "response" && req.body().size() > response_limit) {
          res.result(http::status::payload_too_large);
          res.body() = "{\"errorMessage\":\"too large\",\"errorType\":\"RequestTooLarge\"}";
        } else if ((kind == "response" || kind == "error") && !outcomes.count(id)) {
          outcomes[id] = {kind == "error", std::move(req.body()),
                          std::string(req["Lambda-Runtime-Function-Error-Type"])};
          changed.notify_all();
        } else {
          res.result(http::status::bad_request);
          res.body() = "{\"errorMessage\":\"invalid request id or state\"}";
        }
      } else if (req.method() == http::verb::post && target == std::string(kPrefix) + "/init/error") {
        std::lock_guard lock(mutex);
        init_errors.push_back({true, std::move(req.body()),
                               std::string(req["Lambda-Runtime-Function-Error-Type"])});
        changed.notify_all();
      } else {
        res.result(http::status::not_found);
      }
      res.keep_alive(!close && req.keep_alive());
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !res.keep_alive()) {
        socket.shutdown(tcp::socket::shutdown_both, ec);
        return;
      }
    }
  }
};

RuntimeEmulator::RuntimeEmulator() : impl_(std::make_unique<Impl>()) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
}

RuntimeEmulator::~RuntimeEmulator() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->changed.notify_all();
    // shutdown(2) wakes threads blocked in accept/read on these descriptors.
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
    for (auto& socket : impl_->sockets) ::shutdown(socket->native_handle(), SHUT_RDWR);
  }
  impl_->accept_thread.join();
  {
    std::lock_guard lock(impl_->mutex);
    threads.swap(impl_->threads);
  }
  for (auto& t : threads) t.join();
}

std::string RuntimeEmulator::address() const { return "127.0.0.1:" + std::to_string(impl_->port); }

std::string RuntimeEmulator::enqueue(std::string event, Headers headers) {
  std::lock_guard lock(impl_->mutex);
  std::string id = "req-" + std::to_string(++impl_->sequence);
  impl_->queue.push_back({id, std::move(event), std::move(headers)});
  impl_->changed.notify_all();
  return id;
}

std::optional<RuntimeEmulator::Outcome> RuntimeEmulator::wait_outcome(
    const std::string& request_id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->changed.wait_for(lock, timeout, [&] { return impl_->outcomes.count(request_id) > 0; })) {
    return std::nullopt;
  }
  return impl_->outcomes[request_id];
}

std::optional<RuntimeEmulator::Outcome> RuntimeEmulator::wait_init_error(
    std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  if (!impl_->changed.wait_for(lock, timeout, [&] { return !impl_->init_errors.empty(); })) {
    return std::nullopt;
  }
  return impl_->init_errors.front();
}

void RuntimeEmulator::set_response_limit(std::size_t bytes) {
  std::lock_guard lock(impl_->mutex);
  impl_->response_limit = bytes;
}

void RuntimeEmulator::fail_next_once() {
  std::lock_guard lock(impl_->mutex);
  impl_->fail_next = true;
}

void RuntimeEmulator::set_close_after_next(bool close) {
  std::lock_guard lock(impl_->mutex);
  impl_->close_after_next = close;
}

int RuntimeEmulator::connections_accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

int RuntimeEmulator::next_requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->next_requests;
}

std::optional<RuntimeEmulator::Clock::time_point> RuntimeEmulator::wait_first_next(
    std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait_for(lock, timeout, [&] { return impl_->first_next.has_value(); });
  return impl_->first_next;
}

std::optional<RuntimeEmulator::Clock::time_point> RuntimeEmulator::first_connection() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->first_connection;
}

void RuntimeEmulator::reset_first_next() {
  std::lock_guard lock(impl_->mutex);
  impl_->first_next.reset();
}

}  // namespace cartflow::tests
