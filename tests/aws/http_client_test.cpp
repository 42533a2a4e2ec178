// SPDX-License-Identifier: Apache-2.0
#include "aws/http_client.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "local_server.h"
#include "support/child_process.h"

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
  EXPECT_EQ(server.requests(), 5u);  // warm_up only connects
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpClient, KeepAliveReusesTheConnectionOfTheFirstSend) {
  LocalServer server([](const LocalRequest&) { return LocalResponse{200, {}, "ok"}; });
  HttpClient client;
  ASSERT_TRUE(client.send({"GET", server.url() + "/a", {}, ""}).ok());
  ASSERT_TRUE(client.send({"GET", server.url() + "/b", {}, ""}).ok());
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpClient, ConnectionCloseAnswerIsNotReused) {
  LocalServer server([](const LocalRequest&) { return LocalResponse{200, {{"Connection", "close"}}, "ok"}; });
  HttpClient client;
  ASSERT_TRUE(client.send({"GET", server.url() + "/", {}, ""}).ok());
  ASSERT_TRUE(client.send({"GET", server.url() + "/", {}, ""}).ok());
  EXPECT_EQ(client.connections_opened(), 2u);
}

// Answers one request per connection with a keep-alive 200, then closes the connection (as a
// server's idle timeout does), for `n` connections.
class ClosingServer {
 public:
  explicit ClosingServer(int n) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, n] {
      for (int i = 0; i < n; ++i) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::string in;
        char buf[4096];
        while (in.find("\r\n\r\n") == std::string::npos) {
          ssize_t got = ::recv(c, buf, sizeof buf, 0);
          if (got <= 0) break;
          in.append(buf, static_cast<std::size_t>(got));
        }
        std::string out = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        (void)::send(c, out.data(), out.size(), MSG_NOSIGNAL);
        ::close(c);
        closed_ = i + 1;
      }
    });
  }
  ~ClosingServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int closed() const { return closed_.load(); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> closed_{0};
  std::thread thread_;
};

TEST(HttpClient, IdleConnectionClosedByTheServerIsReplacedSilently) {
  ClosingServer server(2);
  HttpClient client;
  auto first = client.send({"POST", server.url() + "/", {}, "one"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  while (server.closed() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto second = client.send({"POST", server.url() + "/", {}, "two"});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->body, "ok");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpClient, MalformedUrlsAreInvalidArgument) {
  HttpClient client;
  for (const char* url : {"127.0.0.1/", "http://", "http://host:99999/", "http://host:x/",
                          "http://[::1/", "http://a b/", "http://user@host/"}) {
    auto r = client.send({"GET", url, {}, ""});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument) << url;
  }
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

// `openssl s_server -www` on 127.0.0.1 with a self-signed certificate for 127.0.0.1 and
// localhost, made at test time; skipped() when the openssl command is missing.
class TlsServer {
 public:
  TlsServer() {
    dir_ = ::testing::TempDir() + "/tls-" + std::to_string(::getpid());
    std::string cmd = "mkdir -p " + dir_ + " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
                      " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " + dir_ + "/key.pem -out " +
                      cert() + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) return;
    { LocalServer probe([](const LocalRequest&) { return LocalResponse{}; }); port_ = probe.port(); }
    std::string error;
    pid_ = support::spawn_process({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port_),
                                   "-cert", cert(), "-key", dir_ + "/key.pem", "-www"},
                                  {"/dev/null", "/dev/null"}, error);
    for (int i = 0; i < 200 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ~TlsServer() { support::stop_process(pid_, SIGTERM); }
  bool skipped() const { return pid_ <= 0 || !ready(); }
  std::string cert() const { return dir_ + "/cert.pem"; }
  int port() const { return port_; }

 private:
  bool ready() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  }
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST(HttpClient, HttpsWithTheServersCaVerifiesAndReusesTheWarmConnection) {
  TlsServer server;
  if (server.skipped()) GTEST_SKIP() << "openssl s_server unavailable";
  HttpClientOptions options;
  options.ca_file = server.cert();
  HttpClient client(options);
  for (const char* host : {"127.0.0.1", "localhost"}) {
    std::string url = std::string("https://") + host + ":" + std::to_string(server.port()) + "/";
    std::size_t before = client.connections_opened();
    ASSERT_TRUE(client.warm_up(url).ok());
    auto r = client.send({"GET", url, {}, ""});  // on the warm connection (TLS 1.3 tickets read)
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("s_server"), std::string::npos) << r->body;
    EXPECT_EQ(client.connections_opened(), before + 1);
  }
}

TEST(HttpClient, HttpsWithAnUntrustedCertificateIsUnavailable) {
  TlsServer server;
  if (server.skipped()) GTEST_SKIP() << "openssl s_server unavailable";
  HttpClient client;  // the system's CA bundle does not hold the self-signed certificate
  auto r = client.send({"GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("certificate"), std::string::npos) << r.error().message;
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
