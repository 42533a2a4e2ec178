// SPDX-License-Identifier: Apache-2.0
#pragma once

// HttpServer: a small HTTP/1.1 server (Boost.Beast/Asio inside http_server.cpp only) for
// `cartflow serve`: keep-alive, limits on header and body size, read and idle timeouts, and a
// graceful stop.
//
// Threads: `io_threads` threads run the sockets (accept, read, write: never blocking), each with
// an event loop of its own: a connection is given to one of them in turn when it is accepted
// and stays there, so no lock or strand is shared between I/O threads. Requests
// that options.runs_inline accepts (those that never block) are handled right there; the others
// are handed to `worker_threads` other threads that call the handler, because the handlers block
// on the database (a write waits for its group commit); so a slow handler never stalls I/O of
// other connections, and at most `worker_threads` requests run at once (the rest wait in order).
// Limits and timeouts: a request whose header exceeds `max_header_bytes` gets 431, one whose body
// exceeds `max_body_bytes` gets 413 (both then close the connection); a request must arrive whole
// within `read_timeout` of its first byte, and a kept-alive connection with no new request for
// `idle_timeout` is closed, so a slow or silent client holds no thread and, eventually, no socket.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"

namespace cartflow::platform {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;   // "GET"
  std::string target;   // as sent: "/Dev/products?limit=2"
  HeaderList headers;   // in arrival order, repeated names kept, names as sent
  std::string body;
  std::string remote_address;  // "127.0.0.1"

  // The last value of header `name` (case-insensitive); std::nullopt when absent. Views into
  // `headers`.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;  // written in order; repeated names become repeated header lines
  std::string body;    // Content-Length is set by the server

  // A JSON response: Content-Type application/json.
  static HttpResponse json(int status, std::string body);
};

// A way to answer one request later, from any thread: move-only, send() at most once (later
// calls do nothing). Dropped without send(), it answers what `on_drop` builds (default: 500
// {"message":"Internal server error"}).
// While a reply is pending its connection reads nothing else, and stop() waits for it (up to
// drain_timeout).
class HttpReply {
 public:
  // `send` delivers the response (the server's: posts the write to the connection).
  explicit HttpReply(std::function<void(HttpResponse)> send,
                     std::function<HttpResponse()> on_drop = {})
      : send_(std::move(send)), on_drop_(std::move(on_drop)) {}
  HttpReply(HttpReply&& other) noexcept
      : send_(std::move(other.send_)), on_drop_(std::move(other.on_drop_)) {
    other.send_ = nullptr;
  }
  HttpReply& operator=(HttpReply&& other) noexcept;
  HttpReply(const HttpReply&) = delete;
  HttpReply& operator=(const HttpReply&) = delete;
  ~HttpReply();

  void send(HttpResponse response);

 private:
  void drop();
  std::function<void(HttpResponse)> send_;  // null once sent or moved from
  std::function<HttpResponse()> on_drop_;
};

// Called on a worker thread (or on an I/O thread, see runs_inline) for each request; must be
// thread-safe. The request is valid during the call only; the answer may be sent through the
// reply after returning, from any thread.
using HttpAsyncHandler = std::function<void(const HttpRequest&, HttpReply)>;
// The synchronous form: returning is answering. Returning is the only way to
// answer: exceptions are caught by the server and answered with 500.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
// Whether a request's handler may run on the I/O thread that read it (saving the hand-over to a
// worker): only for requests whose handling never blocks. Called on the I/O thread.
using HttpRunsInline = std::function<bool(const HttpRequest&)>;
// Builds the answer to a request the server refuses itself (413, 431, 500); `status` is the code.
using HttpErrorPage = std::function<HttpResponse(int status)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;  // 0: an ephemeral port (see HttpServer::port())
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 6 * 1024 * 1024;  // Lambda's synchronous payload limit
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{10'000};
  // How long stop() waits for in-flight requests before closing their connections anyway.
  std::chrono::milliseconds drain_timeout{30'000};
  // Answers for refused requests; default: {"message": "<reason phrase>"} as JSON.
  HttpErrorPage error_page;
  // Requests for which this returns true are handled on the I/O thread; default: none.
  HttpRunsInline runs_inline;
};

// Counters since start, for tests and `cartflow status`.
struct HttpServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t requests = 0;       // requests handed to the handler
  std::uint64_t rejected = 0;       // answered by the server itself (413, 431)
  std::uint64_t timeouts = 0;       // connections closed by the read or idle timeout
  std::uint64_t open_connections = 0;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  HttpServer(HttpServerOptions options, HttpAsyncHandler handler);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // stop()s if still running

  // Binds and listens on host:port and starts the threads. Fails with kUnavailable ("address in
  // use", ...) or kInvalidArgument (bad host, bad thread counts). Call once.
  model::Status start();
  // The bound port (the real one when options.port was 0); 0 before start().
  std::uint16_t port() const;

  // Graceful stop: stops accepting, closes idle connections, lets every request already received
  // finish and its response be written (with `Connection: close`), then stops the threads and
  // returns. Safe to call from any thread that is not one of the server's own (a signal-watching
  // thread, main), more than once, and before start(). Requests still running after
  // drain_timeout have their connections closed.
  void stop();

  HttpServerStats stats() const;

  // The reason phrase of `status` ("Request Entity Too Large" for 413).
  static std::string_view reason(int status);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cartflow::platform
