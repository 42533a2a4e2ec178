// SPDX-License-Identifier: Apache-2.0
#include "web/web_front.h"

#include <memory>

#include "functions/cors.h"
#include "web/assets.h"

namespace cartflow::web {

using platform::HttpRequest;
using platform::HttpResponse;

namespace {

constexpr const char* kPolicy =
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

HttpResponse text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

bool etag_matches(const HttpRequest& request, std::string_view etag) {
  const auto sent = request.header("if-none-match");
  if (!sent) return false;
  // A list of tags, or *; weak tags compare equal for a GET (RFC 9110 13.1.2).
  std::string_view list = *sent;
  if (list == "*") return true;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view tag = list.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

WebFront::WebFront(WebFrontOptions options, ConsoleApi* console)
    : options_(std::move(options)), console_(console) {}

bool WebFront::claims(std::string_view target) {
  if (target.size() < 1 || target[0] != '/') return false;
  if (target.size() == 1 || target[1] == '?') return true;  // "/" and "/?user=..."
  switch (target[1]) {
    case 'i':
      return target.starts_with("/index.html");
    case 's':
      return target.starts_with("/static/");
    case 'c':
      return target.starts_with("/console") &&
             (target.size() == 8 || target[8] == '/' || target[8] == '?');
    default:
      return false;
  }
}

HttpResponse WebFront::handle(const HttpRequest& request) {
  std::string_view path = request.target;
  if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (path.starts_with("/console")) {
    if (console_ == nullptr) {
      return text(404,
                  "The console is off: `cartflow serve` listens on a non-loopback address. "
                  "Restart it with --console to enable it (it needs an admin key).\n");
    }
    if (path.starts_with("/console/api/")) return console_->handle(request);
    if (path == "/console/") path = "/console";
  }
  if (path == "/index.html") path = "/";
  return page(request, path);
}

HttpResponse WebFront::page(const HttpRequest& request, std::string_view path) {
  const Asset* asset = find_asset(path);
  if (asset == nullptr) return text(404, "Not Found\n");
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = text(405, "Method Not Allowed\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  HttpResponse r;
  r.headers.emplace_back("ETag", std::string(asset->etag));
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (etag_matches(request, asset->etag)) {
    r.status = 304;
    return r;
  }
  r.headers.emplace_back("Content-Type", std::string(asset->content_type));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (asset->content_type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy", kPolicy);
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  if (request.method == "GET") r.body = std::string(asset->body);
  return r;
}

std::optional<HttpResponse> WebFront::preflight(const HttpRequest& request) const {
  if (!cors() || !functions::is_cors_preflight(request.method, request.header("origin").has_value(),
                                               request.header("access-control-request-method")
                                                   .has_value())) {
    return std::nullopt;
  }
  HttpResponse r;
  r.status = 204;
  r.headers = functions::cors_preflight_headers(options_.cors_origin);
  return r;
}

void WebFront::add_cors(HttpResponse& response) const {
  for (auto& header : functions::cors_response_headers(options_.cors_origin)) {
    response.headers.push_back(std::move(header));
  }
}

platform::HttpAsyncHandler WebFront::wrap(platform::HttpAsyncHandler api) {
  return [this, api = std::move(api)](const HttpRequest& request, platform::HttpReply reply) {
    if (claims(request.target)) return reply.send(handle(request));
    if (!cors()) return api(request, std::move(reply));
    if (auto answer = preflight(request)) return reply.send(std::move(*answer));
    // The API's answer, whenever and from whichever thread it comes, gets the CORS headers.
    auto inner = std::make_shared<platform::HttpReply>(std::move(reply));
    api(request, platform::HttpReply([this, inner](HttpResponse response) {
      add_cors(response);
      inner->send(std::move(response));
    }));
  };
}

platform::HttpRunsInline WebFront::runs_inline(platform::HttpRunsInline api) const {
  return [api = std::move(api)](const HttpRequest& request) {
    // Pages and static files are answered from memory; the console's JSON reads the stores.
    if (claims(request.target)) return !request.target.starts_with("/console/api/");
    return api ? api(request) : false;
  };
}

}  // namespace cartflow::web
