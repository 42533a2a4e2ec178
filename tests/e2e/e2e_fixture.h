// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared steps of the `cartflow serve` end-to-end tests: a temporary folder with a database
// holding the sample catalog, starting the server, reading /metrics, waiting for the pipeline.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"
#include "serve_process.h"

namespace cartflow::e2e {

// The value of the Prometheus sample `series` (name with its labels, as written) in `text`.
inline std::optional<double> metric_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

// The pipeline's state read from /metrics.
struct PipelineState {
  double stream_records = 0;  // delivered to process-cart-products
  double queue_records = 0;   // delivered to update-cart-status
  double errors = 0;          // failed invocations of either mapping
  double queue_pending = 0;   // orders queue: visible + in flight
  double stream_lag = 0;      // records after the stream checkpoint
  double dead_letters = 0;    // DLQ + stream on-failure queue, visible
  bool read = false;
};

inline PipelineState pipeline_state(std::uint16_t port, const std::string& key) {
  PipelineState s;
  const HttpResponse r = call(port, key, "GET", "/metrics");
  if (r.status != 200) return s;
  auto v = [&](const std::string& series) { return metric_value(r.body, series).value_or(-1); };
  s.stream_records = v(R"(cartflow_mapping_records_total{mapping="OrderStream"})");
  s.queue_records = v(R"(cartflow_mapping_records_total{mapping="OrderQueue"})");
  s.errors = v(R"(cartflow_mapping_errors_total{mapping="OrderStream"})") +
             v(R"(cartflow_mapping_errors_total{mapping="OrderQueue"})");
  s.queue_pending =
      v(R"(cartflow_queue_visible_messages{queue="UpdateCartProductsSQS",role="orders"})") +
      v(R"(cartflow_queue_in_flight_messages{queue="UpdateCartProductsSQS",role="orders"})");
  s.stream_lag = v(R"(cartflow_stream_lag_records{mapping="OrderStream"})");
  s.dead_letters =
      v(R"(cartflow_queue_visible_messages{queue="UpdateCartProductsDLQ",role="dead_letter"})") +
      v(R"(cartflow_queue_visible_messages{queue="OrderStreamFailureQueue",role="stream_failures"})");
  s.read = true;
  return s;
}

// Polls /metrics until the queue mapping has delivered at least `min_queue_records` records and
// nothing is left on the stream or the queue, or until `timeout`. The last state read, and the
// time it took in `elapsed`.
inline PipelineState wait_pipeline_drained(std::uint16_t port, const std::string& key,
                                           double min_queue_records,
                                           std::chrono::seconds timeout,
                                           std::chrono::milliseconds* elapsed = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  PipelineState s;
  for (;;) {
    s = pipeline_state(port, key);
    const bool drained = s.read && s.queue_records >= min_queue_records && s.stream_lag == 0 &&
                         s.queue_pending == 0;
    if (drained || std::chrono::steady_clock::now() - start >= timeout) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (elapsed != nullptr) {
    *elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
  }
  return s;
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed";
    db = dir.file("data/cartflow.db");
    const CommandResult loaded = run_cartflow(dir.path(), {"catalog", "load", "--db", db});
    ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  }

  void TearDown() override {
    if (HasFailure() && server) std::cerr << "--- cartflow serve stderr ---\n" << server->log();
  }

  // Starts (or restarts) the server; fails the test if it does not come up.
  void start_server(const std::vector<std::string>& extra = {}) {
    std::string error;
    server = ServeProcess::start(dir.path(), db, error, extra);
    ASSERT_NE(server, nullptr) << error;
    port = server->port();
    ASSERT_NE(port, 0) << server->banner();
  }

  // `count` product ids of the catalog, from GET /products.
  std::vector<std::string> product_ids(const std::string& key, std::size_t count) {
    std::vector<std::string> ids;
    const HttpResponse r =
        call(port, key, "GET", "/products?limit=" + std::to_string(count));
    EXPECT_EQ(r.status, 200) << r.body << r.error;
    const boost::json::value v = r.json();
    if (!v.is_object() || !v.as_object().contains("products")) return ids;
    for (const auto& p : v.at("products").as_array()) {
      ids.emplace_back(p.at("productId").as_string());
    }
    return ids;
  }

  TempDir dir;
  std::string db;
  std::unique_ptr<ServeProcess> server;
  std::uint16_t port = 0;
};

}  // namespace cartflow::e2e
