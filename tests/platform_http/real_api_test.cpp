// SPDX-License-Identifier: Apache-2.0
// The real `api` handler behind the local API Gateway and HTTP server, on the embedded table,
// over a real socket: what `cartflow serve` wires together.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <regex>
#include <vector>

#include "domain/validation.h"
#include "embedded/sqlite_table.h"
#include "model/dynamo_json.h"
#include "fixtures.h"
#include "functions/api.h"
#include "functions/api_table.h"
#include "platform/api_gateway.h"
#include "platform/api_gateway_event.h"
#include "platform/http_server.h"

namespace cartflow::platform {
namespace {

using testing::Client;
using testing::get;
using testing::TempDatabase;

TEST(RealApiOverHttp, HealthProductsAndKeysBehaveAsOnAws) {
  TempDatabase tmp;
  ports::SystemClock clock;
  embedded::Database& db = tmp.open();
  embedded::SqliteTable table(db, functions::table_description("cartflow"), clock);
  functions::ApiHandler api(table, clock);
  auto keys = ApiKeyStore::open(db, clock);
  ASSERT_TRUE(keys.ok());
  auto created = (*keys)->create("shop", UsagePlan{});
  ASSERT_TRUE(created.ok());
  MetricsRegistry metrics;
  ApiGateway gateway(api, keys->get(), clock, metrics);
  HttpServerOptions o;
  o.port = 0;
  o.error_page = gateway.http_error_page();
  HttpServer server(o, gateway.http_handler());
  ASSERT_TRUE(server.start().ok());

  Client c(server.port());
  ASSERT_TRUE(c.send(get("/Dev/health")));
  auto health = c.read_response();
  ASSERT_TRUE(health.has_value());
  EXPECT_EQ(health->status, 200) << health->body;

  ASSERT_TRUE(c.send(get("/Dev/products")));
  auto forbidden = c.read_response();
  ASSERT_TRUE(forbidden.has_value());
  EXPECT_EQ(forbidden->status, 403);

  ASSERT_TRUE(c.send(get("/Dev/products", "x-api-key: " + created->secret + "\r\n")));
  auto products = c.read_response();
  ASSERT_TRUE(products.has_value());
  EXPECT_EQ(products->status, 200) << products->body;
  EXPECT_NO_THROW((void)boost::json::parse(products->body)) << products->body;
  EXPECT_TRUE(products->header("x-amzn-RequestId").has_value());

  ASSERT_TRUE(c.send(get("/products/no-such-product", "x-api-key: " + created->secret + "\r\n")));
  auto missing = c.read_response();
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404) << missing->body;
  server.stop();
}

// One store and the real handler, reached through one door.
struct Door {
  Door() : table(tmp.open(), functions::table_description("cartflow"), clock), api(table, clock) {}
  TempDatabase tmp;
  ports::ManualClock clock{1'715'774'400'000};
  embedded::SqliteTable table;
  functions::ApiHandler api;
  std::string product;  // the first product of the catalog, once listed
  std::string order;    // the last order placed
};

struct Step {
  std::string method;
  std::string target;  // "{product}" and "{order}" stand for the door's own values
  std::string body;
  HeaderList headers;
};

std::string fill(std::string text, const Door& door) {
  for (auto [mark, value] : {std::pair{"{product}", &door.product}, std::pair{"{order}", &door.order}}) {
    for (std::size_t at; (at = text.find(mark)) != std::string::npos;) {
      text.replace(at, std::string_view(mark).size(), *value);
    }
  }
  return text;
}

// The answer with what differs by design between the doors put in canonical form: the request
// id and the order id each door generated, and the x-amzn-RequestId header that API Gateway (not
// the handler) adds.
HttpResponse canonical(HttpResponse r, std::string_view request_id, Door& door) {
  std::smatch m;
  static const std::regex kOrderId("\"order_id\":\"([0-9a-f-]{36})\"");
  if (std::regex_search(r.body, m, kOrderId)) door.order = m[1];
  static const std::regex kProductId("\"productId\":\"([^\"]+)\"");
  if (door.product.empty() && std::regex_search(r.body, m, kProductId)) door.product = m[1];
  auto replace_all = [](std::string& text, std::string_view what, std::string_view with) {
    if (what.empty()) return;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += with.size()) {
      text.replace(at, what.size(), with);
    }
  };
  HeaderList kept;
  for (auto& [name, value] : r.headers) {
    if (name == "x-amzn-RequestId") continue;
    replace_all(value, request_id, "<request-id>");
    if (!door.order.empty()) replace_all(value, door.order, "<order-id>");
    kept.emplace_back(name, value);
  }
  std::sort(kept.begin(), kept.end());  // the proxy response's headers are a JSON object
  r.headers = std::move(kept);
  // A page token holds the last key, order ids included: compare what it decodes to.
  static const std::regex kToken("\"next_token\":\"([A-Za-z0-9_-]+)\"");
  if (std::regex_search(r.body, m, kToken)) {
    std::string token = m[1];
    for (char& c : token) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (token.size() % 4 != 0) token += '=';
    auto decoded = model::base64_decode(token);
    r.body = m.prefix().str() + "\"next_token\":" + (decoded.ok() ? *decoded : "?") + m.suffix().str();
  }
  replace_all(r.body, request_id, "<request-id>");
  if (!door.order.empty()) replace_all(r.body, door.order, "<order-id>");
  return r;
}

// Every route and every error case the handler answers, through the HTTP door (ApiGateway, the
// typed request) and through the Lambda door (the same HTTP request as the proxy event API
// Gateway sends, through ApiHandler::invoke, its response mapped back as API Gateway maps it):
// same status, headers and body.
TEST(TwoDoors, EveryRouteAndErrorAnswersTheSameOverHttpAndAsAProxyEvent) {
  const std::string big(domain::kMaxBodyBytes + 1, 'x');
  const std::string order_body = R"({"user_id":"u1"})";
  const std::vector<Step> steps = {
      {"GET", "/health", "", {}},
      {"GET", "/Dev/openapi.json", "", {}},
      {"GET", "/openapi.yaml", "", {}},
      {"POST", "/loadProducts", "", {}},
      {"GET", "/Dev/products", "", {}},
      {"GET", "/products?limit=2", "", {}},
      {"GET", "/products?limit=2&next_token=bm9wZQ", "", {}},
      {"GET", "/products?limit=abc", "", {}},
      {"GET", "/products?limit=100000", "", {}},
      {"GET", "/products/{product}", "", {}},
      {"GET", "/products/{product}/", "", {}},
      {"GET", "/products/no-such-product", "", {}},
      {"GET", "/products/bad%20id", "", {}},
      {"POST", "/cart/u1", R"({"product_id":"{product}","quantity":2})", {}},
      {"POST", "/cart/u1", R"({"product_id":"no-such-product","quantity":1})", {}},
      {"POST", "/cart/u1", R"({"product_id":"{product}","quantity":-1})", {}},
      {"POST", "/cart/u1", R"({"product_id":"{product}"})", {}},
      {"POST", "/cart/u1", "", {}},
      {"POST", "/cart/u1", "{not json", {}},
      {"POST", "/cart/u1", "[1,2]", {}},
      {"POST", "/cart/u1", "\xff\xfe binary", {}},
      {"POST", "/cart/u1", big, {}},
      {"GET", "/cart/u1", "", {}},
      {"GET", "/cart/nobody", "", {}},
      {"POST", "/cart/u2", R"({"product_id":"{product}","quantity":1})", {}},
      {"DELETE", "/cart/u2/{product}", "", {}},
      {"DELETE", "/cart/u2/{product}", "", {}},
      {"POST", "/order", R"({"user_id":"nobody"})", {}},
      {"POST", "/order", R"({"user_id":"u1","order_total":1})", {}},
      {"POST", "/order", order_body, {{"Idempotency-Key", "k-1"}}},
      {"POST", "/order", order_body, {{"Idempotency-Key", "k-1"}}},
      {"POST", "/order", R"({"user_id":"u2"})", {{"Idempotency-Key", "k-1"}}},
      {"POST", "/order", order_body, {{"Idempotency-Key", std::string(300, 'k')}}},
      {"GET", "/orders/{order}", "", {}},
      {"GET", "/orders/no-such-order", "", {}},
      {"GET", "/users/u1/orders", "", {}},
      {"GET", "/users/u1/orders?limit=1", "", {}},
      {"GET", "/users/u1/orders?next_token=garbage", "", {}},
      {"POST", "/orders/{order}/cancel", "", {}},
      {"POST", "/orders/{order}/cancel", "", {}},
      {"POST", "/orders/no-such-order/cancel", "", {}},
  };
  MetricsRegistry metrics;
  Door http, lambda;
  ApiGateway gateway(http.api, nullptr, http.clock, metrics);
  int n = 0;
  for (const Step& step : steps) {
    SCOPED_TRACE(step.method + " " + step.target);
    HttpRequest request;
    request.method = step.method;
    request.target = fill(step.target, http);
    request.headers = {{"Host", "localhost"}, {"User-Agent", "two-doors"}};
    for (const auto& h : step.headers) request.headers.push_back(h);
    if (!step.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = fill(step.body, http);
    request.remote_address = "127.0.0.1";
    HttpResponse a = gateway.handle(request);
    std::string a_id;
    for (const auto& [name, value] : a.headers) {
      if (name == "x-amzn-RequestId") a_id = value;
    }
    ASSERT_FALSE(a_id.empty());
    HttpResponse over_http = canonical(std::move(a), a_id, http);

    request.target = fill(step.target, lambda);
    request.body = fill(step.body, lambda);
    SplitTarget target = split_target(request.target, "Dev");
    ResolvedResource resource = resolve_resource(request.method, target.path);
    ASSERT_TRUE(resource.found && resource.method_allowed);
    EventContext context;
    context.request_id = "lambda-request-" + std::to_string(++n);
    const std::string event = events::to_json(build_proxy_event(request, target, resource, context));
    auto proxy = lambda.api.invoke(event, functions::InvocationContext{});
    ASSERT_TRUE(proxy.ok());
    auto parsed = events::parse_api_gateway_response(*proxy);
    ASSERT_TRUE(parsed.ok());
    auto b = from_proxy_response(*parsed);
    ASSERT_TRUE(b.ok());
    HttpResponse as_event = canonical(std::move(*b), context.request_id, lambda);

    EXPECT_EQ(over_http.status, as_event.status);
    EXPECT_EQ(over_http.headers, as_event.headers);
    EXPECT_EQ(over_http.body, as_event.body);
    http.clock.advance_ms(1000);
    lambda.clock.advance_ms(1000);
  }
  EXPECT_FALSE(http.product.empty());
  EXPECT_FALSE(http.order.empty());
}

}  // namespace
}  // namespace cartflow::platform
