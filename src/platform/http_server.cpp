// SPDX-License-Identifier: Apache-2.0
// The only file that includes Boost.Beast/Asio (heavy headers: keep them here).
#include "platform/http_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

#include "util/thread_name.h"

namespace cartflow::platform {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string json_escape_simple(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

HttpResponse default_error_page(int status) {
  return HttpResponse::json(status, "{\"message\":\"" +
                                        json_escape_simple(HttpServer::reason(status)) + "\"}");
}

// After an error answer the client may still be sending a body we will not read; closing with
// unread data makes the kernel send RST, which can destroy our answer before the client reads
// it. So: shut down our side, read and discard for at most this long, then close.
constexpr std::chrono::milliseconds kLingerTime{2000};

}  // namespace

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) found = v;
  }
  return found;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

void HttpReply::drop() {
  if (!send_) return;
  send(on_drop_ ? on_drop_() : HttpResponse::json(500, "{\"message\":\"Internal server error\"}"));
}

HttpReply& HttpReply::operator=(HttpReply&& other) noexcept {
  if (this != &other) {
    drop();
    send_ = std::move(other.send_);
    on_drop_ = std::move(other.on_drop_);
    other.send_ = nullptr;
  }
  return *this;
}

HttpReply::~HttpReply() { drop(); }

void HttpReply::send(HttpResponse response) {
  if (!send_) return;
  auto send = std::move(send_);
  send_ = nullptr;
  send(std::move(response));
}

std::string_view HttpServer::reason(int status) {
  if (status == 431) return "Request Header Fields Too Large";
  if (status == 413) return "Request Entity Too Large";  // API Gateway's wording
  auto text = http::obsolete_reason(static_cast<http::status>(status));
  return std::string_view(text.data(), text.size());
}

namespace http_internal {

class Session;

struct ServerCore {
  ServerCore(HttpServerOptions o, HttpAsyncHandler h) : options(std::move(o)), handler(std::move(h)) {
    if (!options.error_page) options.error_page = default_error_page;
  }

  HttpServerOptions options;
  HttpAsyncHandler handler;

  std::atomic<bool> stopping{false};
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<std::uint64_t> connections_accepted{0}, requests{0}, rejected{0}, timeouts{0};

  std::mutex sessions_mutex;
  std::condition_variable sessions_cv;
  std::list<std::weak_ptr<Session>> sessions;  // GUARDED_BY(sessions_mutex)
  std::uint64_t open_sessions = 0;             // GUARDED_BY(sessions_mutex)

  std::mutex lifecycle_mutex;  // serializes start() and stop()
  bool started = false;
  bool stopped = false;

  // Declared last: destroyed first, while the members above (used by sessions' destructors)
  // are still alive.
  std::unique_ptr<asio::thread_pool> workers;
  // One io_context per I/O thread, each run by that thread alone (concurrency hint 1): a
  // connection lives on one of them for its whole life, so its handlers need no strand and no
  // I/O thread wakes another for it. The first also runs the acceptor, which hands the
  // connections out in turn.
  asio::io_context ioc{1};
  std::vector<std::unique_ptr<asio::io_context>> more_contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> io_threads;
  std::size_t next_context = 0;  // only the acceptor's handler (on ioc's thread) touches it

  // The context the next connection goes to.
  asio::io_context& take_context() {
    const std::size_t i = next_context++ % (more_contexts.size() + 1);
    return i == 0 ? ioc : *more_contexts[i - 1];
  }

  void do_accept();
  void stop();
};

// Appends `response` as HTTP/1.1 bytes, head and body in one buffer written with one send
// (Beast's serializer walked its buffer sequences for every response: a tenth of a GET's CPU).
// Content-Length comes from the body (none, and no body, for 1xx, 204 and 304); Connection:
// close when the connection ends after it. The handler's own Content-Length, Connection and
// Transfer-Encoding headers are the server's to set and are left out.
static void append_response(std::string& out, const HttpResponse& response, bool keep_alive) {
  const unsigned status = static_cast<unsigned>(response.status);
  const auto reason = http::obsolete_reason(http::int_to_status(status));
  out.reserve(128 + response.body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection") ||
        beast::iequals(name, "Transfer-Encoding")) {
      continue;
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  const bool no_body = status / 100 == 1 || status == 204 || status == 304;
  if (!no_body) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!no_body) out += response.body;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  ~Session() {
    std::lock_guard lock(server_.sessions_mutex);
    --server_.open_sessions;
    server_.sessions_cv.notify_all();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_idle(); });
  }

  // Posted by stop(): closes the connection if it waits for a next request (not mid-request).
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kIdle) self->close();
    });
  }
  void force_close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosed };

  // Waits for the first byte of the next request (idle timeout), then reads it whole.
  void do_idle() {
    if (server_.stopping.load()) return close();
    state_ = State::kIdle;
    if (buffer_.size() > 0) return do_read();  // pipelined bytes already here
    stream_.expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->on_idle(ec, n);
                            });
  }

  void on_idle(beast::error_code ec, std::size_t n) {
    if (ec) {
      if (ec == beast::error::timeout) ++server_.timeouts;
      return close();
    }
    buffer_.commit(n);
    do_read();
  }

  void do_read() {
    state_ = State::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(server_.options.max_body_bytes);
    stream_.expires_after(server_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::header_limit) return reject(431);
    if (ec == http::error::body_limit) return reject(413);
    if (ec) {
      if (ec == beast::error::timeout) ++server_.timeouts;
      // A malformed request (not a closed or timed-out connection) gets 400 as a courtesy.
      const beast::error_code eos = http::error::end_of_stream;
      if (ec.category() == eos.category() && ec != http::error::end_of_stream &&
          ec != http::error::partial_message) {
        return reject(400);
      }
      return close();
    }
    state_ = State::kHandling;
    stream_.expires_never();
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    auto request = std::make_shared<HttpRequest>();
    request->method = std::string(req.method_string());
    request->target = std::string(req.target());
    request->headers.reserve(static_cast<std::size_t>(std::distance(req.begin(), req.end())));
    for (const auto& field : req) {
      request->headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request->body = std::move(req.body());
    request->remote_address = remote_;
    parser_.reset();
    ++server_.requests;
    if (server_.options.runs_inline && server_.options.runs_inline(*request)) {
      return run_handler(*request);
    }
    asio::post(*server_.workers,
               [self = shared_from_this(), request] { self->run_handler(*request); });
  }

  // Calls the handler with a reply that writes on this connection's I/O thread.
  void run_handler(const HttpRequest& request) {
    HttpReply reply(
        [self = shared_from_this()](HttpResponse response) {
          asio::post(self->stream_.get_executor(),
                     [self, r = std::move(response)]() mutable { self->write(std::move(r), false); });
        },
        [self = shared_from_this()] { return self->server_.options.error_page(500); });
    try {
      server_.handler(request, std::move(reply));
    } catch (...) {
      // The reply was moved into the handler: its destructor (during unwinding) answered 500.
    }
  }

  void reject(int status) {
    ++server_.rejected;
    parser_.reset();
    write(server_.options.error_page(status), true);
  }

  void write(HttpResponse response, bool close_after) {
    if (state_ == State::kClosed) return;
    state_ = State::kWriting;
    const bool keep = keep_alive_ && !close_after && !server_.stopping.load();
    out_.clear();
    append_response(out_, response, keep);
    stream_.expires_after(server_.options.write_timeout);
    asio::async_write(stream_, asio::buffer(out_),
                      [self = shared_from_this(), keep, close_after](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        if (close_after) return self->linger();
                        if (!keep) return self->close();
                        self->do_idle();
                      });
  }

  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    state_ = State::kWriting;  // not idle: stop() must not cut it, it ends by itself
    drain();
  }
  void drain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(65536),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain();
                            });
  }

  void close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  ServerCore& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;  // the response being written: head and body in one buffer
  std::string remote_;
  bool keep_alive_ = true;
  State state_ = State::kIdle;
};

void ServerCore::do_accept() {
  acceptor.async_accept(take_context(), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      return do_accept();  // e.g. too many open files: keep serving the others
    }
    if (stopping.load()) return;  // the socket closes as it goes out of scope
    ++connections_accepted;
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(sessions_mutex);
      ++open_sessions;
      session = std::make_shared<Session>(*this, std::move(socket));
      sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
      sessions.push_back(session);
    }
    session->start();
    do_accept();
  });
}

void ServerCore::stop() {
  std::lock_guard lifecycle(lifecycle_mutex);
  if (!started || stopped) return;
  stopped = true;
  stopping.store(true);
  asio::post(ioc, [this] {
    beast::error_code ec;
    acceptor.close(ec);
  });
  auto each_session = [this](auto&& fn) {
    std::vector<std::shared_ptr<Session>> alive;
    {
      std::lock_guard lock(sessions_mutex);
      for (auto& w : sessions) {
        if (auto s = w.lock()) alive.push_back(std::move(s));
      }
    }
    for (auto& s : alive) fn(*s);
  };
  each_session([](Session& s) { s.close_if_idle(); });
  {
    std::unique_lock lock(sessions_mutex);
    sessions_cv.wait_for(lock, options.drain_timeout, [this] { return open_sessions == 0; });
  }
  each_session([](Session& s) { s.force_close(); });
  workers->join();  // handlers already running finish; their answers find a closed socket
  work.clear();
  ioc.stop();
  for (auto& context : more_contexts) context->stop();
  for (auto& t : io_threads) t.join();
  io_threads.clear();
}

}  // namespace http_internal

struct HttpServer::Impl : http_internal::ServerCore {
  using ServerCore::ServerCore;
};

HttpServer::HttpServer(HttpServerOptions options, HttpAsyncHandler handler)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler))) {}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : HttpServer(std::move(options),
                 HttpAsyncHandler([handler = std::move(handler)](const HttpRequest& r, HttpReply reply) {
                   reply.send(handler(r));
                 })) {}

HttpServer::~HttpServer() { stop(); }

model::Status HttpServer::start() {
  http_internal::ServerCore& s = *impl_;
  std::lock_guard lifecycle(s.lifecycle_mutex);
  if (s.started) return model::Error::invalid("HttpServer::start called twice");
  if (s.options.io_threads < 1 || s.options.worker_threads < 1) {
    return model::Error::invalid("io_threads and worker_threads must be at least 1");
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(s.options.host, ec);
  if (ec) return model::Error::invalid("bad listen address '" + s.options.host + "': " + ec.message());
  tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    return model::Error::unavailable("cannot listen on " + s.options.host + ":" +
                                     std::to_string(s.options.port) + ": " + ec.message());
  }
  s.bound_port.store(s.acceptor.local_endpoint().port());
  {
    util::ThreadNameScope named("cf-http-worker");  // the pool's threads inherit the name
    s.workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(s.options.worker_threads));
  }
  for (int i = 1; i < s.options.io_threads; ++i) {
    s.more_contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  s.work.push_back(asio::make_work_guard(s.ioc));
  for (auto& context : s.more_contexts) s.work.push_back(asio::make_work_guard(*context));
  s.do_accept();
  for (int i = 0; i < s.options.io_threads; ++i) {
    asio::io_context& context = i == 0 ? s.ioc : *s.more_contexts[static_cast<std::size_t>(i - 1)];
    s.io_threads.emplace_back([&context] {
      util::name_this_thread("cf-http-io");
      context.run();
    });
  }
  s.started = true;
  return {};
}

std::uint16_t HttpServer::port() const { return impl_->bound_port.load(); }

void HttpServer::stop() { impl_->stop(); }

HttpServerStats HttpServer::stats() const {
  HttpServerStats st;
  st.connections_accepted = impl_->connections_accepted.load();
  st.requests = impl_->requests.load();
  st.rejected = impl_->rejected.load();
  st.timeouts = impl_->timeouts.load();
  std::lock_guard lock(impl_->sessions_mutex);
  st.open_connections = impl_->open_sessions;
  return st;
}

}  // namespace cartflow::platform
