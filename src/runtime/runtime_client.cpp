// SPDX-License-Identifier: Apache-2.0
// The Runtime API over Boost.Beast's synchronous HTTP/1.1 (header-only: no shared object is
// added to the package, which keeps exec-to-first-/next short; see docs/DEPLOY.md).

#include "runtime/runtime_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <string>
#include <utility>

#include "model/dynamo_json.h"

namespace cartflow::runtime {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kApiPrefix = "/2018-06-01/runtime";
constexpr std::string_view kUserAgent = "cartflow-runtime/1";
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// Answers to POSTs are tiny documents; the limit only guards against a broken peer.
constexpr std::uint64_t kAnswerLimit = 1024 * 1024;

std::string to_string(beast::string_view v) { return std::string(v.data(), v.size()); }

std::string describe(const http::response<http::string_body>& res) {
  std::string text = "HTTP " + std::to_string(res.result_int());
  if (!res.body().empty()) text += ": " + res.body().substr(0, 512);
  return text;
}

}  // namespace

std::string error_document_json(const ErrorDocument& error) {
  std::string out = "{\"errorMessage\":";
  model::append_json_string(out, error.error_message);
  out += ",\"errorType\":";
  model::append_json_string(out, error.error_type);
  out += ",\"stackTrace\":[]}";
  return out;
}

model::Result<Endpoint> parse_endpoint(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return model::Error::invalid("AWS_LAMBDA_RUNTIME_API must be host:port, got '" +
                                 std::string(text) + "'");
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return model::Error::invalid("bad port in AWS_LAMBDA_RUNTIME_API '" + std::string(text) + "'");
  }
  return Endpoint{std::string(host), static_cast<std::uint16_t>(port)};
}

struct RuntimeClient::Impl {
  explicit Impl(Endpoint e) : endpoint(std::move(e)), host_header(endpoint.host + ":" +
                                                                  std::to_string(endpoint.port)) {}

  Endpoint endpoint;
  std::string host_header;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  bool connected = false;
  int connections = 0;

  void close() {
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    buffer.clear();
    connected = false;
  }

  model::Status open() {
    close();
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(endpoint.host, ec);
    if (!ec) {
      socket.connect(tcp::endpoint(address, endpoint.port), ec);
    } else {
      tcp::resolver resolver(io);
      auto results = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
      if (!ec) asio::connect(socket, results, ec);
    }
    if (ec) {
      close();
      return model::Error::unavailable("cannot connect to the Runtime API at " + host_header +
                                       ": " + ec.message());
    }
    socket.set_option(tcp::no_delay(true), ec);  // best effort: small requests, no Nagle wait
    connected = true;
    ++connections;
    return {};
  }

  // Sends `request` and reads the whole answer, its body limited to `body_limit`. A kept-alive
  // connection the peer closed meanwhile is reopened once. kInvalidArgument when the body
  // exceeds the limit, kUnavailable when the connection fails twice.
  model::Result<http::response<http::string_body>> exchange(http::request<http::string_body>& req,
                                                            std::uint64_t body_limit) {
    req.set(http::field::host, host_header);
    req.set(http::field::user_agent, kUserAgent);
    req.keep_alive(true);
    req.prepare_payload();
    std::string last_error;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!connected) {
        if (auto opened = open(); !opened.ok()) return std::move(opened).error();
      }
      boost::system::error_code ec;
      http::write(socket, req, ec);
      if (!ec) {
        http::response_parser<http::string_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(body_limit);
        http::read(socket, buffer, parser, ec);
        if (!ec) {
          http::response<http::string_body> res = parser.release();
          if (!res.keep_alive()) close();
          return res;
        }
        if (ec == http::error::body_limit) {
          close();
          return model::Error::invalid("payload larger than " + std::to_string(body_limit) +
                                       " bytes from " + std::string(req.target()));
        }
      }
      last_error = ec.message();
      close();
    }
    return model::Error::unavailable("Runtime API connection failed on " +
                                     std::string(req.target()) + ": " + last_error);
  }

  model::Status post(std::string target, std::string body, const std::string* error_type) {
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::content_type, "application/json");
    if (error_type != nullptr) req.set("Lambda-Runtime-Function-Error-Type", *error_type);
    req.body() = std::move(body);
    auto res = exchange(req, kAnswerLimit);
    if (!res.ok()) return std::move(res).error();
    const unsigned status = res->result_int();
    if (status >= 200 && status < 300) return {};
    // 4xx: this request was refused (413 too large, 400 already answered); 5xx: the environment
    // is broken and the runtime must exit.
    if (status >= 400 && status < 500) {
      return model::Error::invalid("Runtime API refused " + target + ": " + describe(*res));
    }
    return model::Error::internal("Runtime API answered " + target + " with " + describe(*res));
  }
};

RuntimeClient::RuntimeClient(Endpoint endpoint) : impl_(std::make_unique<Impl>(std::move(endpoint))) {}

RuntimeClient::~RuntimeClient() = default;

model::Status RuntimeClient::connect() {
  if (impl_->connected) return {};
  return impl_->open();
}

int RuntimeClient::connections_opened() const { return impl_->connections; }

model::Result<Invocation> RuntimeClient::next() {
  http::request<http::string_body> req{http::verb::get, std::string(kApiPrefix) + "/invocation/next", 11};
  auto res = impl_->exchange(req, kMaxPayloadBytes);
  if (!res.ok()) return std::move(res).error();
  if (res->result() != http::status::ok) {
    return model::Error::internal("Runtime API answered /invocation/next with " + describe(*res));
  }
  Invocation invocation;
  functions::InvocationContext& context = invocation.context;
  context.request_id = to_string((*res)["Lambda-Runtime-Aws-Request-Id"]);
  if (context.request_id.empty()) {
    return model::Error::invalid("/invocation/next without Lambda-Runtime-Aws-Request-Id");
  }
  context.invoked_function_arn = to_string((*res)["Lambda-Runtime-Invoked-Function-Arn"]);
  context.trace_id = to_string((*res)["Lambda-Runtime-Trace-Id"]);
  const std::string deadline = to_string((*res)["Lambda-Runtime-Deadline-Ms"]);
  std::int64_t deadline_ms = 0;
  auto [end, ec] = std::from_chars(deadline.data(), deadline.data() + deadline.size(), deadline_ms);
  context.deadline_ms = (ec == std::errc() && end == deadline.data() + deadline.size()) ? deadline_ms : 0;
  invocation.client_context = to_string((*res)["Lambda-Runtime-Client-Context"]);
  invocation.cognito_identity = to_string((*res)["Lambda-Runtime-Cognito-Identity"]);
  invocation.event = std::move(res->body());
  return invocation;
}

model::Status RuntimeClient::post_response(std::string_view request_id, std::string_view body) {
  if (body.size() > kMaxPayloadBytes) {
    return model::Error::invalid("response of " + std::to_string(body.size()) +
                                 " bytes exceeds Lambda's limit of " +
                                 std::to_string(kMaxPayloadBytes));
  }
  return impl_->post(std::string(kApiPrefix) + "/invocation/" + std::string(request_id) + "/response",
                     std::string(body), nullptr);
}

model::Status RuntimeClient::post_error(std::string_view request_id, const ErrorDocument& error) {
  return impl_->post(std::string(kApiPrefix) + "/invocation/" + std::string(request_id) + "/error",
                     error_document_json(error), &error.error_type);
}

model::Status RuntimeClient::post_init_error(const ErrorDocument& error) {
  return impl_->post(std::string(kApiPrefix) + "/init/error", error_document_json(error),
                     &error.error_type);
}

}  // namespace cartflow::runtime
