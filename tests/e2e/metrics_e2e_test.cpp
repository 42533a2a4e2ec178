// SPDX-License-Identifier: Apache-2.0
// `GET /metrics` of a live `cartflow serve`, after requests and a pipeline run, as Prometheus'
// own linter reads it: `promtool check metrics` (Debian's `prometheus` package, installed by
// scripts/install-deps.sh) must accept it without a single finding.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "e2e_fixture.h"

namespace cartflow::e2e {
namespace {

struct ToolResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `command` through the shell; its exit code and what it printed.
ToolResult run_shell(const std::string& command) {
  ToolResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.output.append(buffer, n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST_F(ServeTest, MetricsPassPromtoolAfterRequestsAndThePipeline) {
  ASSERT_EQ(run_shell("command -v promtool").exit_code, 0)
      << "promtool is missing: install Debian's prometheus package (scripts/install-deps.sh)";
  start_server();
  const std::string key = server->banner_key();
  ASSERT_EQ(call(port, key, "POST", "/loadProducts").status, 200);
  const std::vector<std::string> products = product_ids(key, 1);
  ASSERT_EQ(products.size(), 1u);
  ASSERT_EQ(call(port, key, "POST", "/cart/user9",
                 R"({"product_id":")" + products[0] + R"(","quantity":1})")
                .status,
            200);
  ASSERT_EQ(call(port, key, "POST", "/order", R"({"user_id":"user9"})").status, 201);
  EXPECT_EQ(call(port, key, "GET", "/orders/no-such-order").status, 404);
  EXPECT_EQ(call(port, "", "GET", "/products").status, 403);
  const PipelineState s = wait_pipeline_drained(port, key, 1, std::chrono::seconds(30));
  ASSERT_EQ(s.queue_records, 1);

  const HttpResponse metrics = call(port, key, "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  const std::string path = dir.file("metrics.txt");
  std::ofstream(path) << metrics.body;
  const ToolResult lint = run_shell("promtool check metrics < '" + path + "'");
  EXPECT_EQ(lint.exit_code, 0) << lint.output << "\n--- /metrics ---\n" << metrics.body;
  EXPECT_EQ(lint.output, "") << metrics.body;

  // What promtool does not check: bucket bounds as Prometheus' clients print them, running
  // totals typed as counters, base units.
  EXPECT_NE(metrics.body.find(R"(le="0.005")"), std::string::npos) << metrics.body;
  const std::regex long_bound(R"(le="[0-9.]*0000000)");
  EXPECT_FALSE(std::regex_search(metrics.body, long_bound)) << metrics.body;
  EXPECT_NE(metrics.body.find("# TYPE cartflow_mapping_batches_total counter\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE cartflow_http_request_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("cartflow_stream_lag_seconds{"), std::string::npos);
  EXPECT_EQ(metrics.body.find("millisecond"), std::string::npos);
}

}  // namespace
}  // namespace cartflow::e2e
