// SPDX-License-Identifier: Apache-2.0
#include "aws/http_client.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "local_server.h"

namespace cartflow::aws {
namespace {

using testing::LocalRequest;
using testing::LocalResponse;
using testing::LocalServer;

TEST(HttpClient, SendsMethodHeadersAndBodyAndReadsResponse) {
  LocalServer server([](const LocalRequest& r) {
    LocalResponse resp;
    resp.status = 201;
    resp.headers = {{"X-Echo-Method", r.method}, {"x-amzn-RequestId", "abc"}};
    resp.body = r.target + "|" + r.headers.at("x-custom") + "|" + r.body;
    return resp;
  });
  HttpClient client;
  HttpRequest req{"POST", server.url() + "/p?q=1", {{"X-Custom", "v 1"}}, "payload"};
  auto r = client.send(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "/p?q=1|v 1|payload");
  EXPECT_EQ(r->header("x-echo-method"), "POST");
  EXPECT_EQ(r->header("X-AMZN-REQUESTID"), "abc");
  EXPECT_EQ(r->header("missing"), "");
}

TEST(HttpClient, ReusesOneConnectionForSequentialCalls) {
  LocalServer server([](const LocalRequest&) { return LocalResponse{200, {}, "ok"}; });
  HttpClient client;
  ASSERT_TRUE(client.warm_up(server.url() + "/").ok());
  for (int i = 0; i < 5; ++i) {
    auto r = client.send({"POST", server.url() + "/", {}, "x"});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  EXPECT_EQ(server.requests(), 6u);
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpClient, ConcurrentCallsShareTheConnectionCache) {
  LocalServer server([](const LocalRequest& r) { return LocalResponse{200, {}, r.body}; });
  HttpClient client;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::string body = std::to_string(t) + "-" + std::to_string(i);
        auto r = client.send({"POST", server.url() + "/", {}, body});
        if (r.ok() && r->body == body) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 80);
  // At most one connection per concurrent caller: idle connections are reused.
  EXPECT_LE(server.connections(), 4u);
}

TEST(HttpClient, ConnectionRefusedIsUnavailable) {
  int port;
  { LocalServer server([](const LocalRequest&) { return LocalResponse{}; }); port = server.port(); }
  HttpClient client;
  auto r = client.send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kUnavailable);
}

TEST(HttpClient, ResetConnectionIsUnavailable) {
  LocalServer server([](const LocalRequest&) { LocalResponse r; r.reset = true; return r; });
  HttpClient client;
  auto r = client.send({"POST", server.url() + "/", {}, "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kUnavailable);
}

TEST(HttpClient, RequestTimeoutIsUnavailable) {
  LocalServer server([](const LocalRequest&) {
    LocalResponse r;
    r.delay = std::chrono::milliseconds(1500);
    return r;
  });
  HttpClientOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  HttpClient client(options);
  auto r = client.send({"GET", server.url() + "/", {}, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("timeout"), std::string::npos) << r.error().message;
}

TEST(HttpClient, MalformedUrlIsInvalidArgument) {
  HttpClient client;
  auto r = client.send({"GET", "ftp://127.0.0.1/", {}, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
}

TEST(HttpClient, HttpsToPlainServerFailsTlsHandshake) {
  LocalServer server([](const LocalRequest&) { return LocalResponse{}; });
  HttpClient client;
  auto r = client.send({"GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kUnavailable);
}

TEST(CaBundle, PrefersSslCertFileThenDebianPath) {
  const char* old = std::getenv("SSL_CERT_FILE");
  std::string saved = old ? old : "";
  std::string path = ::testing::TempDir() + "/ca.pem";
  { FILE* f = std::fopen(path.c_str(), "w"); std::fputs("x", f); std::fclose(f); }
  ::setenv("SSL_CERT_FILE", path.c_str(), 1);
  EXPECT_EQ(find_ca_bundle(), path);
  ::setenv("SSL_CERT_FILE", "/nonexistent/ca.pem", 1);
  auto fallback = find_ca_bundle();
  ASSERT_TRUE(fallback.has_value());  // Debian's bundle exists on this machine
  EXPECT_EQ(*fallback, "/etc/ssl/certs/ca-certificates.crt");
  if (old) ::setenv("SSL_CERT_FILE", saved.c_str(), 1); else ::unsetenv("SSL_CERT_FILE");
}

}  // namespace
}  // namespace cartflow::aws
