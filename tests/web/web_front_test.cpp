// SPDX-License-Identifier: Apache-2.0
#include "web/web_front.h"

#include <gtest/gtest.h>

#include "web/assets.h"

namespace cartflow::web {
namespace {

using platform::HttpRequest;
using platform::HttpResponse;

std::optional<std::string> header(const HttpResponse& r, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [k, v] : r.headers) {
    if (k == name) found = v;
  }
  return found;
}

HttpRequest get(std::string target) {
  HttpRequest r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

TEST(WebFront, ClaimsOnlyPagesStaticFilesAndTheConsole) {
  for (const char* mine : {"/", "/?user=ann", "/index.html", "/static/shop.js", "/console",
                           "/console/", "/console?x=1", "/console/api/keys"}) {
    EXPECT_TRUE(WebFront::claims(mine)) << mine;
  }
  for (const char* api : {"/products", "/products?limit=2", "/cart/u1", "/order", "/orders/x",
                          "/users/u/orders", "/health", "/metrics", "/loadProducts",
                          "/openapi.json", "/Dev/products", "/consoles", "/static", "/s", "",
                          "products", "/Dev/"}) {
    EXPECT_FALSE(WebFront::claims(api)) << api;
  }
}

TEST(WebFront, ServesEmbeddedPagesWithTypeEtagAndPolicy) {
  WebFront front({}, nullptr);
  HttpResponse page = front.handle(get("/?user=ann"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(header(page, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("cartflow shop"), std::string::npos);
  EXPECT_EQ(page.body, std::string(find_asset("/")->body));
  ASSERT_TRUE(header(page, "ETag"));
  EXPECT_EQ(header(page, "Cache-Control"), "no-cache");
  ASSERT_TRUE(header(page, "Content-Security-Policy"));
  EXPECT_NE(header(page, "Content-Security-Policy")->find("script-src 'self'"), std::string::npos);

  HttpResponse js = front.handle(get("/static/shop.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(header(js, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(header(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(front.handle(get("/static/style.css")).status, 200);
  EXPECT_EQ(front.handle(get("/static/charts.js")).status, 200);
  EXPECT_NE(header(js, "ETag"), header(page, "ETag"));

  HttpRequest again = get("/static/shop.js");
  again.headers.emplace_back("If-None-Match", "\"other\", " + *header(js, "ETag"));
  HttpResponse not_modified = front.handle(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  again.headers.back().second = "\"other\"";
  EXPECT_EQ(front.handle(again).status, 200);

  EXPECT_EQ(front.handle(get("/static/nope.js")).status, 404);
  HttpRequest post = get("/");
  post.method = "POST";
  HttpResponse refused = front.handle(post);
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(header(refused, "Allow"), "GET, HEAD");
  HttpRequest head = get("/");
  head.method = "HEAD";
  HttpResponse headed = front.handle(head);
  EXPECT_EQ(headed.status, 200);
  EXPECT_TRUE(headed.body.empty());
}

TEST(WebFront, TheConsoleIsOffWithoutAConsoleApi) {
  WebFront front({}, nullptr);
  HttpResponse page = front.handle(get("/console"));
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("--console"), std::string::npos);
  EXPECT_EQ(front.handle(get("/console/api/keys")).status, 404);
}

// Calls an asynchronous handler and returns what it answered (the fake API answers at once).
std::function<HttpResponse(const HttpRequest&)> answering(platform::HttpAsyncHandler handler) {
  return [handler = std::move(handler)](const HttpRequest& request) {
    HttpResponse answer;
    handler(request, platform::HttpReply([&](HttpResponse r) { answer = std::move(r); }));
    return answer;
  };
}

TEST(WebFront, WrapsTheApiWithCorsOnlyWhenAnOriginIsSet) {
  int api_calls = 0;
  platform::HttpAsyncHandler api = [&](const HttpRequest&, platform::HttpReply reply) {
    ++api_calls;
    reply.send(HttpResponse::json(200, "{}"));
  };
  WebFront plain({}, nullptr);
  auto handler = answering(plain.wrap(api));
  HttpResponse r = handler(get("/products"));
  EXPECT_EQ(api_calls, 1);
  EXPECT_FALSE(header(r, "Access-Control-Allow-Origin"));
  EXPECT_EQ(handler(get("/")).status, 200);
  EXPECT_EQ(api_calls, 1);  // the page never reaches the API

  WebFront cors({.cors_origin = "https://shop.example.com"}, nullptr);
  auto with_cors = answering(cors.wrap(api));
  HttpResponse answered = with_cors(get("/products"));
  EXPECT_EQ(header(answered, "Access-Control-Allow-Origin"), "https://shop.example.com");
  EXPECT_EQ(header(answered, "Vary"), "Origin");
  HttpRequest preflight = get("/cart/u1");
  preflight.method = "OPTIONS";
  preflight.headers = {{"Origin", "https://shop.example.com"},
                       {"Access-Control-Request-Method", "POST"}};
  HttpResponse pre = with_cors(preflight);
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(api_calls, 2);  // answered here
  EXPECT_NE(header(pre, "Access-Control-Allow-Headers")->find("X-Api-Key"), std::string::npos);
  EXPECT_NE(header(pre, "Access-Control-Allow-Methods")->find("DELETE"), std::string::npos);
  // An OPTIONS that is not a preflight goes to the API (which answers as API Gateway does).
  preflight.headers.clear();
  (void)with_cors(preflight);
  EXPECT_EQ(api_calls, 3);
}

TEST(WebFront, PagesRunInlineTheConsoleJsonAndTheApiAsTheGatewaySays) {
  WebFront front({}, nullptr);
  auto inline_rule = front.runs_inline([](const HttpRequest& r) { return r.method == "GET"; });
  EXPECT_TRUE(inline_rule(get("/")));
  EXPECT_TRUE(inline_rule(get("/static/app.js")));
  EXPECT_FALSE(inline_rule(get("/console/api/keys")));
  EXPECT_TRUE(inline_rule(get("/products")));
  HttpRequest post = get("/order");
  post.method = "POST";
  EXPECT_FALSE(inline_rule(post));
  EXPECT_FALSE(front.runs_inline({})(get("/products")));
}

TEST(WebFront, LoopbackHosts) {
  for (const char* h : {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
    EXPECT_TRUE(is_loopback_host(h)) << h;
  }
  for (const char* h : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", ""}) {
    EXPECT_FALSE(is_loopback_host(h)) << h;
  }
}

}  // namespace
}  // namespace cartflow::web
