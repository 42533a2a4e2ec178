// SPDX-License-Identifier: Apache-2.0
#pragma once

// WebFront: what `cartflow serve` answers in front of the API Gateway: the storefront (/), the
// operations console (/console and its JSON under /console/api/, web/console_api.h), their
// static files (/static/...), and CORS for the API when an origin is configured.
//
// Cost to the API: claims() is a prefix test on the target (no allocation), done once per
// request before the gateway; CORS headers are added only when `cors_origin` is set.
//
// Pages: embedded at build time (web/assets.h); answered with their Content-Type, an ETag
// (If-None-Match -> 304), Cache-Control "no-cache" (revalidate: a new binary serves new pages),
// X-Content-Type-Options nosniff and a Content-Security-Policy allowing only this origin.
// The console's page and JSON exist only when a ConsoleApi is given (`serve` gives one on a
// loopback address or with --console); without it /console answers 404.
//
// Threading: handle() is thread-safe when the ConsoleApi is.

#include <optional>
#include <string>
#include <string_view>

#include "platform/http_server.h"
#include "web/console_api.h"

namespace cartflow::web {

struct WebFrontOptions {
  // Access-Control-Allow-Origin for the API ("" : no CORS headers, the default; "*" any origin).
  std::string cors_origin;
};

class WebFront {
 public:
  // `console` null: the console is off.
  WebFront(WebFrontOptions options, ConsoleApi* console);

  // True when `target` is the front's rather than the API's: "/", "/?...", "/index.html",
  // "/static/...", "/console", "/console/...". Never allocates.
  static bool claims(std::string_view target);
  // Answers a request claims() accepted (never fails: errors are answers).
  platform::HttpResponse handle(const platform::HttpRequest& request);

  // CORS for the API (only with a cors_origin): the answer to a preflight (OPTIONS with
  // Origin and Access-Control-Request-Method), or nullopt for any other request.
  std::optional<platform::HttpResponse> preflight(const platform::HttpRequest& request) const;
  // Adds Access-Control-Allow-Origin (and Expose-Headers) to an API answer.
  void add_cors(platform::HttpResponse& response) const;
  bool cors() const { return !options_.cors_origin.empty(); }

  // The whole handler for HttpServer: the front's requests answered here (at once), the others
  // handed to `api` (the gateway), whose answer gets the CORS headers when configured.
  platform::HttpAsyncHandler wrap(platform::HttpAsyncHandler api);
  // Which requests HttpServer may handle on its I/O thread: the front's pages and static files
  // (answered from memory), not the console's JSON; for the others, what `api` says (none when
  // `api` is empty).
  platform::HttpRunsInline runs_inline(platform::HttpRunsInline api) const;

 private:
  platform::HttpResponse page(const platform::HttpRequest& request, std::string_view path);

  WebFrontOptions options_;
  ConsoleApi* console_;
};

// True for addresses that only this machine can reach: 127.0.0.0/8, ::1, "localhost".
bool is_loopback_host(std::string_view host);

}  // namespace cartflow::web
