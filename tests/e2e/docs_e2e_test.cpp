// SPDX-License-Identifier: Apache-2.0
// docs/API.md read as a specification and checked against a running `cartflow serve`, so the
// document cannot drift from the code: every route of its table is called and answers the
// status the table gives, with the response keys (and literal values) the table shows; every
// route but /health refuses a request without a key, as the text says; each error provoked here
// answers the status the error table lists for its code; the README's walk-through curl lines
// run as written; and the log lines docs/EVENTS.md shows have the keys of the lines the running
// server writes.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.h"

namespace cartflow::e2e {
namespace {

std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(CARTFLOW_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One row of the route table: "| `POST /order` | request | 201 `{...}`, ... |".
struct DocRoute {
  std::string method;
  std::string path;  // with {placeholders}
  int status = 0;
  std::string example;  // the first `{...}` of the success cell; "" when none
};

std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cell;
  bool in_code = false;
  for (std::size_t i = 1; i < row.size(); ++i) {
    const char c = row[i];
    if (c == '`') in_code = !in_code;
    if (c == '|' && !in_code) {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  return out;
}

std::vector<DocRoute> doc_routes(const std::string& api_md) {
  std::vector<DocRoute> routes;
  std::istringstream in(api_md);
  std::string line;
  const std::regex route_re("`(GET|POST|PUT|DELETE|PATCH) (/[^`]*)`");
  const std::regex status_re("^\\s*([1-5][0-9][0-9])");
  const std::regex example_re("`(\\{[^`]*\\})`");
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::vector<std::string> c = cells(line);
    if (c.size() < 3) continue;
    std::smatch status;
    if (!std::regex_search(c[2], status, status_re)) continue;
    std::smatch example;
    const std::string ex = std::regex_search(c[2], example, example_re) ? example[1].str() : "";
    for (std::sregex_iterator it(c[0].begin(), c[0].end(), route_re), end; it != end; ++it) {
      routes.push_back({(*it)[1].str(), (*it)[2].str(), std::stoi(status[1].str()), ex});
    }
  }
  return routes;
}

// The keys of a documented object `{"a":"literal","b","c"?,"d":20}`: name -> literal value
// ("" when none shown), optional keys (`"c"?`) left out.
std::map<std::string, std::string> doc_keys(const std::string& example) {
  std::map<std::string, std::string> keys;
  const std::regex key_re("[{,]\"([A-Za-z_]+)\"(\\?)?(:(\"([^\"]*)\"|[0-9]+))?");
  for (std::sregex_iterator it(example.begin(), example.end(), key_re), end; it != end; ++it) {
    if ((*it)[2].matched) continue;  // optional
    std::string literal = (*it)[5].matched ? (*it)[5].str() : "";
    if (!(*it)[5].matched && (*it)[4].matched) literal = (*it)[4].str();  // a number
    keys[(*it)[1].str()] = literal;
  }
  return keys;
}

// The error table: code -> statuses it is listed under.
std::map<std::string, std::set<int>> doc_error_codes(const std::string& api_md) {
  std::map<std::string, std::set<int>> codes;
  std::istringstream in(api_md.substr(api_md.find("## Errors")));
  std::string line;
  const std::regex row_re("^\\| ([1-5][0-9][0-9]) \\|(.*)");
  const std::regex code_re("`([A-Z_]+)`");
  while (std::getline(in, line)) {
    std::smatch row;
    if (!std::regex_search(line, row, row_re)) continue;
    const int status = std::stoi(row[1].str());
    const std::string rest = row[2].str();
    for (std::sregex_iterator it(rest.begin(), rest.end(), code_re), end; it != end; ++it) {
      codes[(*it)[1].str()].insert(status);
    }
  }
  return codes;
}

std::string fill(std::string path, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{" + name + "}";
    for (std::size_t at; (at = path.find(placeholder)) != std::string::npos;) {
      path.replace(at, placeholder.size(), value);
    }
  }
  return path;
}

std::string json_text(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

TEST(ApiDocs, TablesParse) {
  const std::string api = source_file("docs/API.md");
  const auto routes = doc_routes(api);
  EXPECT_GE(routes.size(), 12u);
  const auto keys = doc_keys(R"({"products":[...],"total":N,"next_token"?,"message":"a b","n":20})");
  EXPECT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys.at("message"), "a b");
  EXPECT_EQ(keys.at("n"), "20");
  EXPECT_EQ(keys.count("next_token"), 0u);
  EXPECT_EQ(doc_error_codes(api)["ROUTE_NOT_FOUND"], std::set<int>{404});
}

TEST_F(ServeTest, ApiDocsRouteTableStatusesAndKeysHoldOnTheRunningServer) {
  start_server();
  const std::string key = server->banner_key();
  const std::string api_md = source_file("docs/API.md");
  const std::vector<DocRoute> routes = doc_routes(api_md);
  ASSERT_FALSE(routes.empty());

  // The order in which the routes can be called with real values, and the body each needs.
  ASSERT_EQ(call(port, key, "POST", "/loadProducts").status, 200);
  const std::vector<std::string> products = product_ids(key, 2);
  ASSERT_EQ(products.size(), 2u);
  std::map<std::string, std::string> values = {{"product_id", products[0]}, {"user_id", "docs1"}};
  const std::map<std::string, std::string> bodies = {
      {"POST /cart/{user_id}", R"({"product_id":")" + products[0] + R"(","quantity":2})"},
      {"POST /order", R"({"user_id":"docs1"})"},
  };
  const std::vector<std::string> order = {
      "POST /loadProducts",   "GET /products",           "GET /products/{product_id}",
      "POST /cart/{user_id}", "GET /cart/{user_id}",     "POST /order",
      "GET /orders/{order_id}", "GET /users/{user_id}/orders", "POST /orders/{order_id}/cancel",
      "DELETE /cart/{user_id}/{product_id}", "GET /health", "GET /openapi.json",
      "GET /openapi.yaml"};
  std::set<std::string> documented;
  for (const DocRoute& r : routes) documented.insert(r.method + " " + r.path);
  EXPECT_EQ(documented, std::set<std::string>(order.begin(), order.end()))
      << "docs/API.md's route table and this test name different routes";

  for (const std::string& name : order) {
    const auto route = std::find_if(routes.begin(), routes.end(), [&](const DocRoute& r) {
      return r.method + " " + r.path == name;
    });
    if (route == routes.end()) continue;
    if (name == "DELETE /cart/{user_id}/{product_id}") {
      // An item still in the cart: the other product, in another user's cart.
      values["user_id"] = "docs2";
      values["product_id"] = products[1];
      ASSERT_EQ(call(port, key, "POST", "/cart/docs2",
                     R"({"product_id":")" + products[1] + R"(","quantity":1})")
                    .status,
                200);
    }
    const auto body = bodies.find(name);
    const HttpResponse r =
        call(port, key, route->method, fill(route->path, values),
             body == bodies.end() ? std::optional<std::string>() : body->second);
    EXPECT_EQ(r.status, route->status) << name << ": " << r.body;
    if (name == "POST /order") values["order_id"] = r.json_string("order_id");
    if (route->example.empty()) continue;
    const boost::json::value v = r.json();
    ASSERT_TRUE(v.is_object()) << name << ": " << r.body;
    for (const auto& [k, literal] : doc_keys(route->example)) {
      ASSERT_TRUE(v.as_object().contains(k)) << name << " lacks \"" << k << "\": " << r.body;
      if (!literal.empty()) {
        EXPECT_EQ(json_text(v.at(k)), literal) << name << " \"" << k << "\": " << r.body;
      }
    }
  }

  // "Every route needs the x-api-key header ..., except GET /health".
  for (const DocRoute& route : routes) {
    const HttpResponse r = call(port, "", route.method, fill(route.path, values));
    if (route.path == "/health") {
      EXPECT_EQ(r.status, 200) << r.body;
    } else {
      EXPECT_EQ(r.status, 403) << route.method << " " << route.path << " without a key";
    }
  }
}

TEST_F(ServeTest, ApiDocsErrorTableGivesTheStatusOfEachCode) {
  start_server();
  const std::string key = server->banner_key();
  const auto codes = doc_error_codes(source_file("docs/API.md"));
  ASSERT_EQ(call(port, key, "POST", "/loadProducts").status, 200);
  struct Provoke {
    std::string method, target, body;
  };
  const std::vector<Provoke> provoked = {
      {"GET", "/orders/unknown-order", ""},
      {"GET", "/products/unknown-product", ""},
      {"POST", "/cart/u1", "{not json"},
      {"POST", "/cart/u1", R"({"quantity":1})"},
      {"POST", "/order", R"({"user_id":"nobody-with-a-cart"})"},
      {"GET", "/products?limit=0", ""},
      {"DELETE", "/cart/u1/unknown-product", ""},
  };
  std::set<std::string> seen;
  for (const Provoke& p : provoked) {
    const HttpResponse r = call(port, key, p.method, p.target,
                                p.body.empty() ? std::optional<std::string>() : p.body);
    const std::string code = r.json_string("code");
    ASSERT_FALSE(code.empty()) << p.method << " " << p.target << ": " << r.body;
    seen.insert(code);
    ASSERT_TRUE(codes.count(code)) << code << " is not in docs/API.md's error table";
    EXPECT_TRUE(codes.at(code).count(r.status))
        << code << " answered " << r.status << ", docs/API.md lists it elsewhere";
  }
  EXPECT_GE(seen.size(), 6u);

  // "a path or method that is not a resource of the API never reaches the handler".
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/no/such/route"}, {"PUT", "/order"}}) {
    const HttpResponse r = call(port, key, method, target);
    EXPECT_EQ(r.status, 403) << method << " " << target << ": " << r.body;
    EXPECT_EQ(r.json_string("message"), "Missing Authentication Token") << r.body;
  }
}

TEST_F(ServeTest, ReadmeCurlLinesRunAsWritten) {
  start_server();
  const std::string key = server->banner_key();
  const std::string readme = source_file("README.md");
  std::istringstream in(readme);
  std::string line;
  std::vector<std::string> curls;
  while (std::getline(in, line)) {
    if (line.rfind("curl ", 0) == 0) curls.push_back(line);
  }
  ASSERT_GE(curls.size(), 4u) << "the README's walk-through lost its curl lines";
  ASSERT_EQ(call(port, key, "POST", "/loadProducts").status, 200);
  const std::vector<std::string> products = product_ids(key, 1);
  ASSERT_EQ(products.size(), 1u);
  for (std::string command : curls) {
    command = std::regex_replace(command, std::regex("127\\.0\\.0\\.1:3000"),
                                 "127.0.0.1:" + std::to_string(port));
    command = std::regex_replace(command, std::regex("<id>"), products[0]);
    command = std::regex_replace(command, std::regex("^curl -s "),
                                 "curl -s -o /dev/stderr -w '%{http_code}' ");
    const std::string shell = "KEY='" + key + "'; " + command + " 2>/dev/null";
    FILE* pipe = ::popen(shell.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char status[8] = {};
    const std::size_t n = std::fread(status, 1, sizeof status - 1, pipe);
    ::pclose(pipe);
    const std::string code(status, n);
    EXPECT_TRUE(code == "200" || code == "201") << command << " answered " << code;
  }
}

// The keys of the JSON objects on the lines of `text` whose "message" is `message` (first one).
std::set<std::string> log_line_keys(const std::string& text, const std::string& message) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto* m = v.as_object().if_contains("message");
    if (m == nullptr || !m->is_string() || m->as_string() != message) continue;
    std::set<std::string> keys;
    for (const auto& kv : v.as_object()) keys.insert(std::string(kv.key()));
    return keys;
  }
  return {};
}

// The keys written as "key": in `example` (a documented log line, possibly elided with ...).
std::set<std::string> documented_keys(const std::string& example) {
  std::set<std::string> keys;
  const std::regex key("\"([a-z_]+)\":");
  for (auto it = std::sregex_iterator(example.begin(), example.end(), key);
       it != std::sregex_iterator(); ++it) {
    keys.insert((*it)[1]);
  }
  return keys;
}

TEST_F(ServeTest, EventsDocsLogExamplesHaveTheKeysOfTheServersLines) {
  start_server();
  const std::string key = server->banner_key();
  ASSERT_EQ(call(port, key, "GET", "/health").status, 200);
  const std::string events = source_file("docs/EVENTS.md");
  // The api function's request line, as section 6 shows it in prose.
  const std::size_t at = events.find("`{\"level\":\"INFO\",\"message\":\"request\"");
  ASSERT_NE(at, std::string::npos) << "docs/EVENTS.md lost its request log example";
  const std::string example = events.substr(at, events.find('`', at + 1) - at);
  std::set<std::string> written;
  for (int i = 0; i < 50 && written.empty(); ++i) {
    written = log_line_keys(server->log(), "request");
    if (written.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(written.empty()) << "serve wrote no request line:\n" << server->log();
  for (const std::string& k : documented_keys(example)) {
    EXPECT_TRUE(written.count(k)) << "docs/EVENTS.md shows \"" << k << "\" on the request line";
  }
  // The Powertools keys every line carries, on the section's full example and on serve's line
  // (the invocation's keys are absent outside an invocation, as the text says).
  for (const char* k : {"level", "message", "timestamp", "service"}) {
    EXPECT_TRUE(written.count(k)) << k;
    EXPECT_NE(events.find(std::string("\"") + k + "\":"), std::string::npos) << k;
  }
  EXPECT_FALSE(written.count("cold_start")) << "docs/EVENTS.md says serve's lines have no invocation keys";
}

}  // namespace
}  // namespace cartflow::e2e
