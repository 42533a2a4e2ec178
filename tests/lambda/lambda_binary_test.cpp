// SPDX-License-Identifier: Apache-2.0
// `cartflow lambda` as a process against the Runtime API emulator: the three handlers, handler
// selection (_HANDLER, --handler, a bare `bootstrap`), init errors, exit on a broken API.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "lambda_events.h"
#include "lambda_process.h"
#include "runtime_emulator.h"

namespace cartflow::tests {
namespace {

namespace fs = std::filesystem;

class LambdaBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cartflow-lambda-bin-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    kill_child(child_);
    fs::remove_all(dir_);
  }

  std::map<std::string, std::string> env(const std::string& handler) const {
    return {{"AWS_LAMBDA_RUNTIME_API", emulator_.address()},
            {"_HANDLER", handler},
            {"TABLE_NAME", "EcommerceAppTable"},
            {"CARTFLOW_BACKEND", "embedded"},
            {"CARTFLOW_LAMBDA_DB", (dir_ / "cartflow.db").string()},
            {"PATH", "/usr/bin:/bin"}};
  }

  // Invokes the running child once with `event`; the outcome (asserting one arrives).
  RuntimeEmulator::Outcome invoke(const std::string& event) {
    const std::string id = emulator_.enqueue(event);
    auto outcome = emulator_.wait_outcome(id, std::chrono::seconds(60));
    EXPECT_TRUE(outcome.has_value()) << "no answer to " << id;
    return outcome.value_or(RuntimeEmulator::Outcome{true, "", "none"});
  }

  fs::path dir_;
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
  const fs::path bootstrap = dir_ / "bootstrap";
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
  fs::create_directories(dir_ / "blocker");
  e["CARTFLOW_LAMBDA_DB"] = (dir_ / "blocker").string();  // a directory is no database
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
