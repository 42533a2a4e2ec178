// SPDX-License-Identifier: Apache-2.0
// `cartflow lambda` as a process against the Runtime API emulator: the three handlers, handler
// selection (_HANDLER, --handler, a bare `bootstrap`), init errors, exit on a broken API.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "lambda_events.h"
#include "lambda_process.h"
#include "local_server.h"
#include "runtime_emulator.h"
#include "support/temp_dir.h"

namespace cartflow::tests {
namespace {

namespace fs = std::filesystem;

class LambdaBinary : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()) << "no temporary folder"; }
  void TearDown() override { kill_child(child_); }

  std::map<std::string, std::string> env(const std::string& handler) const {
    return {{"AWS_LAMBDA_RUNTIME_API", emulator_.address()},
            {"_HANDLER", handler},
            {"TABLE_NAME", "EcommerceAppTable"},
            {"CARTFLOW_BACKEND", "embedded"},
            {"CARTFLOW_LAMBDA_DB", dir_.file("cartflow.db")},
            {"PATH", "/usr/bin:/bin"}};
  }

  // Invokes the running child once with `event`; the outcome (asserting one arrives).
  RuntimeEmulator::Outcome invoke(const std::string& event) {
    const std::string id = emulator_.enqueue(event);
    auto outcome = emulator_.wait_outcome(id, std::chrono::seconds(60));
    EXPECT_TRUE(outcome.has_value()) << "no answer to " << id;
    return outcome.value_or(RuntimeEmulator::Outcome{true, "", "none"});
  }

  support::TempDir dir_{"cartflow-lambda-bin"};
  RuntimeEmulator emulator_;
  ChildProcess child_;
};

TEST_F(LambdaBinary, ServesEachHandlerNamedByHandlerEnv) {
  for (const std::string name : {"api", "process-cart-products", "update-cart-status"}) {
    SCOPED_TRACE(name);
    // One emulator per process: a killed process's pending /next must not take the next event.
    RuntimeEmulator emulator;
    auto e = env(name);
    e["AWS_LAMBDA_RUNTIME_API"] = emulator.address();
    child_ = spawn({CARTFLOW_BINARY, "lambda"}, e);
    ASSERT_GT(child_.pid, 0);
    for (int i = 0; i < 3; ++i) {
      const std::string id = emulator.enqueue(event_for(name));
      auto out = emulator.wait_outcome(id, std::chrono::seconds(60));
      ASSERT_TRUE(out.has_value()) << "no answer to " << id;
      EXPECT_FALSE(out->is_error) << out->body;
      EXPECT_NE(out->body.find(success_marker(name)), std::string::npos) << out->body;
    }
    EXPECT_EQ(emulator.connections_accepted(), 1);  // one kept-alive connection throughout
    kill_child(child_);
  }
}

TEST_F(LambdaBinary, HandlerFlagOverridesTheEnvironment) {
  child_ = spawn({CARTFLOW_BINARY, "lambda", "--handler", "api"}, env("update-cart-status"));
  auto out = invoke(api_products_event());
  EXPECT_FALSE(out.is_error) << out.body;
  EXPECT_NE(out.body.find("\"statusCode\":200"), std::string::npos) << out.body;
}

TEST_F(LambdaBinary, MalformedEventIsAnsweredNotCrashed) {
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, env("update-cart-status"));
  auto bad = invoke("{\"Records\": [ {\"messageId\": 1");
  // Either a function error or a batch failure, but the process goes on serving.
  EXPECT_FALSE(bad.body.empty());
  auto good = invoke(sqs_event());
  EXPECT_FALSE(good.is_error) << good.body;
  EXPECT_FALSE(wait_exit(child_, 0).has_value());
}

TEST_F(LambdaBinary, RunsAsLambdaWhenNamedBootstrapWithNoArguments) {
  const fs::path bootstrap = dir_.file("bootstrap");
  fs::create_symlink(CARTFLOW_BINARY, bootstrap);
  child_ = spawn({bootstrap.string()}, env("api"));
  auto out = invoke(api_products_event());
  EXPECT_FALSE(out.is_error) << out.body;
  EXPECT_NE(out.body.find("\"statusCode\":200"), std::string::npos) << out.body;
}

TEST_F(LambdaBinary, UnknownHandlerPostsInitErrorAndExitsNonZero) {
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, env("checkout"));
  auto init = emulator_.wait_init_error(std::chrono::seconds(60));
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.HandlerNotFound");
  EXPECT_NE(init->body.find("checkout"), std::string::npos) << init->body;
  auto code = wait_exit(child_, 60000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_EQ(emulator_.next_requests(), 0);
}

TEST_F(LambdaBinary, UnopenableStorePostsInitError) {
  auto e = env("api");
  fs::create_directories(dir_.file("blocker"));
  e["CARTFLOW_LAMBDA_DB"] = dir_.file("blocker");  // a directory is no database
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, e);
  auto init = emulator_.wait_init_error(std::chrono::seconds(60));
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  auto code = wait_exit(child_, 60000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
}

TEST_F(LambdaBinary, AwsBackendWithoutRegionPostsInitError) {
  auto e = env("update-cart-status");
  e.erase("CARTFLOW_BACKEND");  // the default: the AWS backend, which needs a region
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, e);
  auto init = emulator_.wait_init_error(std::chrono::seconds(60));
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  EXPECT_NE(init->body.find("region"), std::string::npos) << init->body;
  auto code = wait_exit(child_, 60000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_EQ(emulator_.next_requests(), 0);
}

// The AWS backend against a scripted DynamoDB endpoint: a sampled invocation's calls carry the
// trace header and reach the X-Ray "daemon" (a UDP socket here) as subsegments of the
// invocation's trace.
TEST_F(LambdaBinary, AwsBackendTracesTheCallsOfASampledInvocation) {
  std::mutex m;
  std::vector<std::string> trace_headers;
  aws::testing::LocalServer dynamodb([&](const aws::testing::LocalRequest& r) {
    std::lock_guard lock(m);
    auto it = r.headers.find("x-amzn-trace-id");
    trace_headers.push_back(it == r.headers.end() ? "" : it->second);
    return aws::testing::LocalResponse{200, {}, R"({"Items":[],"Count":0,"ScannedCount":0})"};
  });
  const int daemon = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(daemon, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(daemon, reinterpret_cast<sockaddr*>(&addr), &len);
  timeval guard{60, 0};  // a bound on a hang, not an assertion
  ::setsockopt(daemon, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);

  auto e = env("api");
  e.erase("CARTFLOW_BACKEND");
  e["AWS_REGION"] = "us-east-1";
  e["AWS_ACCESS_KEY_ID"] = "test";
  e["AWS_SECRET_ACCESS_KEY"] = "test";
  e["HOME"] = dir_.path();
  e["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb.url();
  e["AWS_ENDPOINT_URL_SQS"] = dynamodb.url();
  e["UPDATE_CART_PRODUCT_SQS"] = dynamodb.url() + "/000000000000/UpdateCartProductsSQS";
  e["AWS_XRAY_DAEMON_ADDRESS"] = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, e);
  const std::string root = "1-5759e988-bd862e3fe1be46a994272793";
  const std::string id = emulator_.enqueue(
      api_products_event(),
      {{"Lambda-Runtime-Trace-Id", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1"}});
  auto outcome = emulator_.wait_outcome(id, std::chrono::seconds(60));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_NE(outcome->body.find(success_marker("api")), std::string::npos) << outcome->body;

  std::string datagram(65536, '\0');
  const ssize_t n = ::recv(daemon, datagram.data(), datagram.size(), 0);
  ::close(daemon);
  ASSERT_GT(n, 0) << "no subsegment reached the daemon";
  datagram.resize(static_cast<std::size_t>(n));
  EXPECT_EQ(datagram.rfind("{\"format\":\"json\",\"version\":1}\n", 0), 0u) << datagram;
  EXPECT_NE(datagram.find("\"trace_id\":\"" + root + "\""), std::string::npos) << datagram;
  EXPECT_NE(datagram.find("\"parent_id\":\"53995c3f42cd8ad8\""), std::string::npos) << datagram;
  EXPECT_NE(datagram.find("\"namespace\":\"aws\""), std::string::npos) << datagram;
  EXPECT_NE(datagram.find("\"table_name\":\"EcommerceAppTable\""), std::string::npos) << datagram;
  std::lock_guard lock(m);
  ASSERT_FALSE(trace_headers.empty());
  EXPECT_EQ(trace_headers[0].rfind("Root=" + root + ";Parent=", 0), 0u) << trace_headers[0];
}

TEST_F(LambdaBinary, ExitsNonZeroWhenTheRuntimeApiAnswers500) {
  emulator_.fail_next_once();
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, env("api"));
  auto code = wait_exit(child_, 60000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
}

TEST_F(LambdaBinary, WithoutRuntimeApiItRefusesToStart) {
  auto e = env("api");
  e.erase("AWS_LAMBDA_RUNTIME_API");
  child_ = spawn({CARTFLOW_BINARY, "lambda"}, e);
  auto code = wait_exit(child_, 60000);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
}

}  // namespace
}  // namespace cartflow::tests
