// SPDX-License-Identifier: Apache-2.0
#include "platform/metrics.h"

#include <gtest/gtest.h>

namespace cartflow::platform {
namespace {

TEST(MetricsRegistry, RendersCountersWithLabelsInTextFormat) {
  MetricsRegistry registry;
  registry.counter("cartflow_x_total", "Things done", {{"route", "/a"}, {"status", "200"}}).inc();
  registry.counter("cartflow_x_total", "Things done", {{"route", "/a"}, {"status", "200"}}).inc(2);
  registry.counter("cartflow_x_total", "Things done", {{"route", "/b\"q\\\n"}, {"status", "500"}}).inc();
  EXPECT_EQ(registry.render(),
            "# HELP cartflow_x_total Things done\n"
            "# TYPE cartflow_x_total counter\n"
            "cartflow_x_total{route=\"/a\",status=\"200\"} 3\n"
            "cartflow_x_total{route=\"/b\\\"q\\\\\\n\",status=\"500\"} 1\n");
}

TEST(MetricsRegistry, RendersHistogramBucketsCumulatively) {
  MetricsRegistry registry;
  Histogram& h = registry.histogram("lat_seconds", "Latency", {{"route", "/r"}}, {0.1, 1.0});
  h.observe(0.05);
  h.observe(0.1);  // le is inclusive
  h.observe(0.5);
  h.observe(7.0);
  EXPECT_EQ(registry.render(),
            "# HELP lat_seconds Latency\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{route=\"/r\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{route=\"/r\",le=\"1\"} 3\n"
            "lat_seconds_bucket{route=\"/r\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{route=\"/r\"} 7.65\n"
            "lat_seconds_count{route=\"/r\"} 4\n");
}

TEST(MetricsRegistry, BucketBoundsPrintAsPrometheusClientsPrintThem) {
  MetricsRegistry registry;
  registry.histogram("d_seconds", "Duration").observe(0.003);
  const std::string text = registry.render();
  // The shortest text that reads back as the same double, as Go's client writes it.
  for (const char* le : {"0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
                         "2.5", "5", "10", "+Inf"}) {
    EXPECT_NE(text.find(std::string("d_seconds_bucket{le=\"") + le + "\"}"), std::string::npos)
        << le << "\n" << text;
  }
  EXPECT_NE(text.find("d_seconds_sum 0.003\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, CallbackCountersRenderAsCounters) {
  MetricsRegistry registry;
  double batches = 3;
  CallbackRegistration reg = registry.counter_callback(
      "m_batches_total", "Batches", {{"mapping", "Q"}}, [&] { return batches; });
  EXPECT_EQ(registry.render(),
            "# HELP m_batches_total Batches\n"
            "# TYPE m_batches_total counter\n"
            "m_batches_total{mapping=\"Q\"} 3\n");
  reg.reset();
  EXPECT_EQ(registry.render().find("m_batches_total{"), std::string::npos);
}

TEST(MetricsRegistry, GaugesAndCallbackGaugesUntilUnregistered) {
  MetricsRegistry registry;
  registry.gauge("depth", "Queue depth", {{"queue", "main"}}).set(4);
  int dlq = 7;
  {
    CallbackRegistration reg =
        registry.gauge_callback("depth", "Queue depth", {{"queue", "dlq"}}, [&] { return dlq; });
    EXPECT_NE(registry.render().find("depth{queue=\"dlq\"} 7\n"), std::string::npos);
    dlq = 8;
    EXPECT_NE(registry.render().find("depth{queue=\"dlq\"} 8\n"), std::string::npos);
  }
  std::string text = registry.render();
  EXPECT_EQ(text.find("dlq"), std::string::npos);
  EXPECT_NE(text.find("depth{queue=\"main\"} 4\n"), std::string::npos);
}

TEST(MetricsRegistry, TypeMismatchIsReportedNotRendered) {
  MetricsRegistry registry;
  registry.counter("m_total", "a").inc();
  registry.gauge("m_total", "b").set(99);
  std::string text = registry.render();
  EXPECT_NE(text.find("# ERROR m_total requested as gauge"), std::string::npos);
  EXPECT_EQ(text.find("99"), std::string::npos);
}

TEST(MetricsRegistry, SnapshotReadsOnlyTheWantedFamilies) {
  MetricsRegistry registry;
  registry.counter("a_total", "A", {{"k", "1"}}).inc(3);
  Histogram& h = registry.histogram("b_seconds", "B", {}, {0.1, 1.0});
  h.observe(0.05);
  h.observe(5.0);
  int reads = 0;
  auto reg = registry.gauge_callback("c", "C", {}, [&] { return ++reads, 7.0; });
  auto samples = registry.snapshot([](std::string_view n) { return n != "c"; });
  EXPECT_EQ(reads, 0);  // an unwanted callback gauge is not read
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].name, "a_total");
  EXPECT_EQ(samples[0].labels, (Labels{{"k", "1"}}));
  EXPECT_EQ(samples[0].value, 3.0);
  EXPECT_EQ(samples[1].name, "b_seconds");
  EXPECT_EQ(samples[1].value, 2.0);
  EXPECT_EQ(samples[1].upper_bounds, (std::vector<double>{0.1, 1.0}));
  EXPECT_EQ(samples[1].cumulative, (std::vector<std::uint64_t>{1, 1, 2}));
  auto c = registry.snapshot([](std::string_view n) { return n == "c"; });
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].value, 7.0);
  EXPECT_EQ(reads, 1);
}

TEST(Counter, NeverGoesDown) {
  Counter c;
  c.inc(2);
  c.inc(-1);
  EXPECT_EQ(c.value(), 2);
}

}  // namespace
}  // namespace cartflow::platform
