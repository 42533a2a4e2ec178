// SPDX-License-Identifier: Apache-2.0
// End-to-end over real sockets on 127.0.0.1: the HttpServer alone (limits, timeouts, keep-alive,
// graceful stop) and with the ApiGateway in front of an echo handler.
#include "platform/http_server.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "platform/api_gateway.h"

namespace cartflow::platform {
namespace {

using testing::Client;
using testing::EchoHandler;
using testing::get;
using testing::TempDatabase;

HttpResponse hello(const HttpRequest& r) {
  return HttpResponse::json(200, "{\"method\":\"" + r.method + "\",\"bytes\":" +
                                     std::to_string(r.body.size()) + "}");
}

// Waits until `done` holds (the server counts a timeout just after the socket is closed, so the
// client can see the close first); gives up after 10 s. No assertion depends on the time taken.
template <typename F>
bool eventually(F done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

HttpServerOptions small_options() {
  HttpServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 2;
  return o;
}

// The names of this process's threads, from /proc (what top and perf show).
std::vector<std::string> thread_names() {
  std::vector<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    names.push_back(name);
  }
  return names;
}

TEST(HttpServer, ItsThreadsAreNamedForWhatTheyDo) {
  auto o = small_options();
  o.io_threads = 2;
  o.worker_threads = 3;
  HttpServer server(o, hello);
  ASSERT_TRUE(server.start().ok());
  auto count = [](const char* name) {
    auto names = thread_names();
    return std::count(names.begin(), names.end(), name);
  };
  // The I/O threads name themselves as they start; the workers are born named.
  EXPECT_TRUE(eventually([&] { return count("cf-http-io") == 2; })) << count("cf-http-io");
  EXPECT_EQ(count("cf-http-worker"), 3);
  server.stop();
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  HttpServer server(small_options(), hello);
  ASSERT_TRUE(server.start().ok());
  ASSERT_NE(server.port(), 0);
  Client c(server.port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send(get("/a")));
    auto r = c.read_response();
    ASSERT_TRUE(r.has_value()) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"method":"GET","bytes":0})");
  }
  // Two pipelined requests in one write are both answered, in order.
  ASSERT_TRUE(c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get("/b")));
  EXPECT_EQ(c.read_response()->body, R"({"method":"POST","bytes":3})");
  EXPECT_EQ(c.read_response()->body, R"({"method":"GET","bytes":0})");
  EXPECT_EQ(server.stats().connections_accepted, 1u);
  EXPECT_EQ(server.stats().requests, 5u);
  server.stop();
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  HttpServer server(small_options(), hello);
  ASSERT_TRUE(server.start().ok());
  Client c(server.port());
  ASSERT_TRUE(c.send(get("/a", "Connection: close\r\n")));
  auto r = c.read_response();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

// The head the server writes itself: status line with its reason, the handler's headers in
// order, a Content-Length from the body (the handler's own is replaced), none for 204.
TEST(HttpServer, WritesTheHeadItselfWithContentLengthFromTheBody) {
  HttpServer server(small_options(), [](const HttpRequest& r) {
    HttpResponse response;
    response.status = r.target == "/empty" ? 204 : 201;
    response.headers = {{"X-One", "1"}, {"Content-Length", "999"}, {"X-Two", "2"}};
    response.body = r.target == "/empty" ? "" : "made";
    return response;
  });
  ASSERT_TRUE(server.start().ok());
  Client c(server.port());
  ASSERT_TRUE(c.send(get("/made")));
  auto made = c.read_response();
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(made->head,
            "HTTP/1.1 201 Created\r\nX-One: 1\r\nX-Two: 2\r\nContent-Length: 4");
  EXPECT_EQ(made->body, "made");
  ASSERT_TRUE(c.send(get("/empty")));
  auto empty = c.read_response();
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->head, "HTTP/1.1 204 No Content\r\nX-One: 1\r\nX-Two: 2");
  // The connection is still usable: nothing stray was written after the 204.
  ASSERT_TRUE(c.send(get("/made")));
  EXPECT_EQ(c.read_response()->body, "made");
  server.stop();
}

TEST(HttpServer, BodyOverTheLimitGets413) {
  HttpServer server(small_options(), hello);
  ASSERT_TRUE(server.start().ok());
  Client c(server.port());
  // 6 MB + 1 announced: refused from the header, before the body is read.
  ASSERT_TRUE(c.send("POST /order HTTP/1.1\r\nHost: x\r\nContent-Length: 6291457\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->body, R"({"message":"Request Entity Too Large"})");
  EXPECT_EQ(server.stats().requests, 0u);
  // Exactly 6 MB is accepted.
  Client ok(server.port());
  std::string body(6 * 1024 * 1024, 'x');
  ASSERT_TRUE(ok.send("POST /order HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body));
  auto accepted = ok.read_response();
  ASSERT_TRUE(accepted.has_value());
  EXPECT_EQ(accepted->status, 200);
  EXPECT_EQ(accepted->body, R"({"method":"POST","bytes":6291456})");
}

TEST(HttpServer, HeaderOverTheLimitGets431) {
  HttpServer server(small_options(), hello);
  ASSERT_TRUE(server.start().ok());
  Client c(server.port());
  ASSERT_TRUE(c.send(get("/a", "X-Big: " + std::string(20 * 1024, 'h') + "\r\n")));
  auto r = c.read_response();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->body, R"({"message":"Request Header Fields Too Large"})");
}

TEST(HttpServer, SlowClientDoesNotHoldTheServer) {
  HttpServerOptions o = small_options();
  o.worker_threads = 1;  // one I/O thread, one worker: a held thread would block everyone
  HttpServer server(o, hello);
  ASSERT_TRUE(server.start().ok());
  Client slow(server.port());
  ASSERT_TRUE(slow.send("GET /a HTTP/1.1\r\nHost: x\r\nX-Slow: "));  // and then nothing
  Client fast(server.port());
  ASSERT_TRUE(fast.send(get("/b")));
  auto r = fast.read_response();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
}

TEST(HttpServer, ReadTimeoutClosesASlowRequest) {
  HttpServerOptions o = small_options();
  o.read_timeout = std::chrono::milliseconds(200);
  HttpServer server(o, hello);
  ASSERT_TRUE(server.start().ok());
  Client slow(server.port());
  ASSERT_TRUE(slow.send("GET /a HTTP/1.1\r\nHost: x\r\n"));  // the header never ends
  EXPECT_TRUE(slow.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return server.stats().timeouts == 1u; }));
  EXPECT_EQ(server.stats().requests, 0u);
}

TEST(HttpServer, IdleTimeoutClosesAKeptAliveConnection) {
  HttpServerOptions o = small_options();
  o.idle_timeout = std::chrono::milliseconds(200);
  HttpServer server(o, hello);
  ASSERT_TRUE(server.start().ok());
  Client c(server.port());
  ASSERT_TRUE(c.send(get("/a")));
  ASSERT_TRUE(c.read_response().has_value());
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return server.stats().timeouts == 1u; }));
}

TEST(HttpServer, GracefulStopFinishesTheRequestInFlight) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> handler_returned{false};
  HttpServer server(small_options(), [&](const HttpRequest& r) {
    if (r.target == "/slow") {
      entered.set_value();
      released.wait();
      handler_returned = true;
    }
    return hello(r);
  });
  ASSERT_TRUE(server.start().ok());
  const std::uint16_t port = server.port();
  Client idle(port);  // connected, no request: closed by stop()
  ASSERT_TRUE(idle.send(get("/warm")));
  ASSERT_TRUE(idle.read_response().has_value());
  Client busy(port);
  ASSERT_TRUE(busy.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
  entered.get_future().wait();

  std::atomic<bool> stop_returned{false};
  std::thread stopper([&] {
    server.stop();
    stop_returned = true;
  });
  EXPECT_TRUE(idle.closed_by_peer());  // idle connections are closed at once
  EXPECT_FALSE(stop_returned.load());  // stop() waits for the handler still running
  release.set_value();
  auto r = busy.read_response();
  stopper.join();
  EXPECT_TRUE(handler_returned.load());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"method":"POST","bytes":2})");
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_FALSE(Client(port).connected());  // no longer accepting
  server.stop();                            // a second stop is harmless
}

TEST(HttpServer, RefusesABadListenAddress) {
  HttpServerOptions o = small_options();
  o.host = "not-an-address";
  HttpServer server(o, hello);
  EXPECT_FALSE(server.start().ok());
}

class GatewayOverHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ApiKeyStore::open(tmp.open(), clock);
    ASSERT_TRUE(s.ok());
    keys = std::move(*s);
    gateway = std::make_unique<ApiGateway>(handler, keys.get(), clock, metrics);
    HttpServerOptions o = small_options();
    o.error_page = gateway->http_error_page();
    server = std::make_unique<HttpServer>(o, gateway->http_handler());
    ASSERT_TRUE(server->start().ok());
  }
  void TearDown() override { server->stop(); }

  TempDatabase tmp;
  ports::SystemClock clock;
  EchoHandler handler;
  MetricsRegistry metrics;
  std::unique_ptr<ApiKeyStore> keys;
  std::unique_ptr<ApiGateway> gateway;
  std::unique_ptr<HttpServer> server;
};

TEST_F(GatewayOverHttp, KeyedRequestReachesTheHandlerAsAProxyEvent) {
  auto created = keys->create("e2e", UsagePlan{});
  ASSERT_TRUE(created.ok());
  Client c(server->port());
  ASSERT_TRUE(c.send("POST /Dev/cart/u1?x=1 HTTP/1.1\r\nHost: x\r\nx-api-key: " + created->secret +
                     "\r\nContent-Length: 9\r\n\r\n{\"a\":\"b\"}"));
  auto r = c.read_response();
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 200);
  auto event = boost::json::parse(r->body).as_object();
  EXPECT_EQ(event["resource"], "/cart/{user_id}");
  EXPECT_EQ(event["pathParameters"].as_object()["user_id"], "u1");
  EXPECT_EQ(event["queryStringParameters"].as_object()["x"], "1");
  EXPECT_EQ(event["body"], "{\"a\":\"b\"}");
  auto& ctx = event["requestContext"].as_object();
  EXPECT_EQ(ctx["identity"].as_object()["apiKey"].as_string(), created->secret);
  EXPECT_EQ(ctx["identity"].as_object()["sourceIp"], "127.0.0.1");
  EXPECT_EQ(ctx["requestId"].as_string(), r->header("x-amzn-RequestId").value_or("?"));

  ASSERT_TRUE(c.send(get("/Dev/cart/u1")));  // same connection, no key
  auto forbidden = c.read_response();
  ASSERT_TRUE(forbidden.has_value());
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(forbidden->body, R"({"message":"Forbidden"})");
  EXPECT_TRUE(forbidden->header("x-amzn-RequestId").has_value());
}

TEST_F(GatewayOverHttp, ServerRefusalsCarryARequestIdAndShowInMetrics) {
  Client c(server->port());
  ASSERT_TRUE(c.send("POST /order HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->body, R"({"message":"Request Entity Too Large"})");
  EXPECT_TRUE(r->header("x-amzn-RequestId").has_value());

  Client m(server->port());
  ASSERT_TRUE(m.send(get("/metrics")));
  auto text = m.read_response();
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->status, 200);
  EXPECT_NE(text->body.find("# TYPE cartflow_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text->body.find("cartflow_http_requests_total{method=\"\",route=\"unmatched\",status=\"413\"} 1"),
            std::string::npos)
      << text->body;
}

}  // namespace
}  // namespace cartflow::platform
