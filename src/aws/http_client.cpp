// SPDX-License-Identifier: Apache-2.0
// HttpClient over Boost.Beast (header-only) and OpenSSL: no shared object beyond libssl and
// libcrypto (linked statically in the Lambda package; see docs/DEPLOY.md).
//
// Each connection owns an io_context; an exchange runs Beast's asynchronous operations to
// completion on the calling thread, so that tcp_stream's deadline (expires_at) bounds connect,
// TLS handshake, write and read (Beast applies timeouts to asynchronous operations only).
// Idle connections wait in one pool shared by every endpoint: at most max_idle_handles in total,
// the least recently used one is closed first.

#include "aws/http_client.h"

#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <mutex>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace cartflow::aws {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using model::Error;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kBodyLimit = 64ull * 1024 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The parts of an absolute http(s) URL.
struct Url {
  bool tls = false;
  std::string authority;  // host[:port] as written: the Host header (SigV4 signs it so)
  std::string host;       // without the brackets of an IPv6 literal
  std::string port;
  std::string target;  // path?query, "/" when empty
  std::string key() const { return (tls ? "https://" : "http://") + host + "|" + port; }
};

Result<Url> parse_url(const std::string& text) {
  auto bad = [&](const char* why) { return Error::invalid("bad URL '" + text + "': " + why); };
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return bad("space or control character");
  }
  Url url;
  std::string_view rest(text);
  if (rest.size() > 8 && iequals(rest.substr(0, 8), "https://")) {
    url.tls = true;
    rest.remove_prefix(8);
  } else if (rest.size() > 7 && iequals(rest.substr(0, 7), "http://")) {
    rest.remove_prefix(7);
  } else {
    return bad("not http:// or https://");
  }
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view target = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  target = target.substr(0, target.find('#'));
  if (authority.find('@') != std::string_view::npos) return bad("user information");
  url.authority = std::string(authority);
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad("junk after the IPv6 address");
    if (!after.empty()) port = after.substr(1);
    beast::error_code ec;
    (void)asio::ip::make_address_v6(url.host, ec);
    if (ec) return bad("invalid IPv6 address");
  } else {
    std::size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("no host");
  if (port.empty()) {
    url.port = url.tls ? "443" : "80";
  } else {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoul(std::string(port)) == 0 || std::stoul(std::string(port)) > 65535) {
      return bad("invalid port");
    }
    url.port = std::string(port);
  }
  url.target = target.empty()          ? "/"
               : target.front() == '?' ? "/" + std::string(target)
                                       : std::string(target);
  return url;
}

std::string what(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return "timeout";
  return ec.message();
}

// kUnavailable; the message starts with "timeout" when a deadline expired (the retry strategy
// charges timeouts more), as `what` ends a step's message with it.
Error unavailable(std::string message, std::string_view step) {
  if (step.ends_with(": timeout")) message = "timeout: " + message;
  return Error::unavailable(std::move(message));
}

// One kept-alive connection: a plain or a TLS stream on its own io_context.
struct Connection {
  std::string key;
  asio::io_context io;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Starts `start(handler)` and runs the io_context until it completes.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }
  template <class Fn>
  decltype(auto) with_stream(Fn&& fn) {
    if (tls) return fn(*tls);
    return fn(*plain);
  }

  // An idle connection is alive when reading would block: a readable one holds the server's
  // close (EOF) or garbage. TLS 1.3 session tickets that arrived after the handshake are read
  // (and consumed) by OpenSSL here without data, so a fresh TLS connection stays alive.
  bool alive() {
    if (buffer.size() != 0) return false;
    tcp::socket& socket = lowest().socket();
    if (!socket.is_open()) return false;
    beast::error_code ec;
    socket.non_blocking(true, ec);
    if (ec) return false;
    char byte;
    with_stream([&](auto& s) { return s.read_some(asio::buffer(&byte, 1), ec); });
    bool ok = ec == asio::error::would_block || ec == asio::error::try_again;
    socket.non_blocking(false, ec);
    return ok && !ec;
  }
};

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return {};
}

std::optional<std::string> find_ca_bundle() {
  if (const char* env = std::getenv("SSL_CERT_FILE"); env != nullptr && *env != '\0') {
    if (::access(env, R_OK) == 0) return std::string(env);
  }
  for (const char* p : {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}) {
    if (::access(p, R_OK) == 0) return std::string(p);
  }
  return std::nullopt;
}

struct HttpClient::Impl {
  HttpClientOptions options;
  std::atomic<std::size_t> connections{0};

  // The TLS context, made at the first https connection (loading the CA bundle takes a while).
  std::once_flag tls_once;
  std::unique_ptr<ssl::context> tls_context;
  std::string tls_error;

  std::mutex pool_mutex;
  std::deque<std::unique_ptr<Connection>> idle;  // GUARDED_BY(pool_mutex), oldest first

  ssl::context* context() {
    std::call_once(tls_once, [this] {
      auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
      SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
      ctx->set_verify_mode(ssl::verify_peer);
      beast::error_code ec;
      auto ca = options.ca_file.empty() ? find_ca_bundle() : std::optional(options.ca_file);
      if (ca) {
        ctx->load_verify_file(*ca, ec);
      } else {
        ctx->set_default_verify_paths(ec);
      }
      if (ec) {
        tls_error = "cannot load the CA certificates" + (ca ? " from " + *ca : std::string()) +
                    ": " + ec.message();
        return;
      }
      tls_context = std::move(ctx);
    });
    return tls_context.get();
  }

  // The most recently used idle connection to `key` that is still alive, or nullptr.
  std::unique_ptr<Connection> take_idle(const std::string& key) {
    while (true) {
      std::unique_ptr<Connection> c;
      {
        std::lock_guard lock(pool_mutex);
        auto it =
            std::find_if(idle.rbegin(), idle.rend(), [&](const auto& p) { return p->key == key; });
        if (it == idle.rend()) return nullptr;
        c = std::move(*it);
        idle.erase(std::next(it).base());
      }
      if (c->alive()) return c;
    }
  }

  void give_back(std::unique_ptr<Connection> c) {
    std::unique_ptr<Connection> evicted;
    std::lock_guard lock(pool_mutex);
    if (options.max_idle_handles == 0) return;
    if (idle.size() >= options.max_idle_handles) {
      evicted = std::move(idle.front());
      idle.pop_front();
    }
    idle.push_back(std::move(c));
  }

  // A new connection to `url`, TLS handshake included, within `deadline`.
  Result<std::unique_ptr<Connection>> open(const Url& url, Clock::time_point deadline) {
    auto c = std::make_unique<Connection>();
    c->key = url.key();
    auto fail = [&](const std::string& step, const beast::error_code& ec) {
      return Error::unavailable("cannot " + step + " " + url.authority + ": " + what(ec));
    };
    ssl::context* ctx = nullptr;
    if (url.tls) {
      ctx = context();
      if (ctx == nullptr) return Error::unavailable(tls_error);
      c->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(c->io, *ctx);
    } else {
      c->plain = std::make_unique<beast::tcp_stream>(c->io);
    }
    // The system resolver, synchronously (an asynchronous one would start a thread).
    tcp::resolver resolver(c->io);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return fail("resolve", ec);
    beast::tcp_stream& stream = c->lowest();
    stream.expires_at(std::min(deadline, Clock::now() + options.connect_timeout));
    ec = c->run([&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
    if (ec) return fail("connect to", ec);
    ++connections;
    stream.socket().set_option(tcp::no_delay(true), ec);
    if (url.tls) {
      SSL* ssl = c->tls->native_handle();
      beast::error_code ip_ec;
      (void)asio::ip::make_address(url.host, ip_ec);
      if (ip_ec && !SSL_set_tlsext_host_name(ssl, url.host.c_str())) {  // SNI: names only
        return Error::unavailable("cannot set the TLS server name " + url.host);
      }
      c->tls->set_verify_callback(ssl::host_name_verification(url.host));
      ec = c->run([&](auto handler) {
        c->tls->async_handshake(ssl::stream_base::client, std::move(handler));
      });
      if (ec) return fail("complete the TLS handshake with", ec);
    }
    return c;
  }

  // Writes the request and reads the answer on `c`. Sets `reusable` when the connection may
  // serve another request.
  Result<HttpResponse> exchange(Connection& c, const HttpRequest& request, const Url& url,
                                Clock::time_point deadline, bool& reusable) {
    http::request<http::string_body> req;
    req.version(11);
    http::verb verb = http::string_to_verb(request.method);
    if (verb == http::verb::unknown) {
      req.method_string(request.method);
    } else {
      req.method(verb);
    }
    req.target(url.target);
    req.set(http::field::host, url.authority);
    for (const auto& [name, value] : request.headers) {
      if (iequals(name, "host")) {
        req.set(http::field::host, value);
      } else if (!iequals(name, "content-length")) {
        req.insert(name, value);
      }
    }
    req.body() = request.body;
    if (!request.body.empty() || (verb != http::verb::get && verb != http::verb::head)) {
      req.content_length(request.body.size());
    }
    c.lowest().expires_at(deadline);
    beast::error_code ec = c.with_stream([&](auto& s) {
      return c.run([&](auto handler) { http::async_write(s, req, std::move(handler)); });
    });
    if (ec) return Error::unavailable("sending: " + what(ec));
    while (true) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(kBodyLimit);
      parser.header_limit(kHeaderLimit);
      if (verb == http::verb::head) parser.skip(true);
      ec = c.with_stream([&](auto& s) {
        return c.run(
            [&](auto handler) { http::async_read(s, c.buffer, parser, std::move(handler)); });
      });
      if (ec) return Error::unavailable("reading the answer: " + what(ec));
      auto res = parser.release();
      unsigned status = res.result_int();
      if (status >= 100 && status < 200 && status != 101) continue;  // interim (100 Continue)
      HttpResponse out;
      out.status = static_cast<long>(status);
      for (const auto& field : res) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      out.body = std::move(res.body());
      reusable = res.keep_alive();
      return out;
    }
  }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  auto url = parse_url(request.url);
  if (!url) return std::move(url).error();
  const auto deadline = Clock::now() + impl_->options.request_timeout;
  auto describe = [&](const std::string& what) {
    return "HTTP " + request.method + " " + request.url + " failed: " + what;
  };
  // A reused connection was checked alive: a failure from here on happened after the request
  // (or part of it) went out, so the server may have applied it. It is not re-sent here.
  std::unique_ptr<Connection> c = impl_->take_idle(url->key());
  if (c == nullptr) {
    auto opened = impl_->open(*url, deadline);
    if (!opened) return unavailable(describe(opened.error().message), opened.error().message);
    c = std::move(*opened);
  }
  bool reusable = false;
  auto r = impl_->exchange(*c, request, *url, deadline, reusable);
  if (!r) {
    return unavailable(describe(r.error().message) +
                           " (the request may have reached the server; not re-sent here)",
                       r.error().message);
  }
  if (reusable) impl_->give_back(std::move(c));
  return r;
}

Status HttpClient::warm_up(const std::string& url) {
  auto parsed = parse_url(url);
  if (!parsed) return std::move(parsed).error();
  if (auto c = impl_->take_idle(parsed->key())) {
    impl_->give_back(std::move(c));
    return {};
  }
  auto opened = impl_->open(*parsed, Clock::now() + impl_->options.request_timeout);
  if (!opened) {
    return unavailable("warm-up of " + url + " failed: " + opened.error().message,
                       opened.error().message);
  }
  impl_->give_back(std::move(*opened));
  return {};
}

std::size_t HttpClient::connections_opened() const { return impl_->connections.load(); }

}  // namespace cartflow::aws
