// SPDX-License-Identifier: Apache-2.0
#include "web/series.h"

#include <gtest/gtest.h>

namespace cartflow::web {
namespace {

TEST(BucketQuantile, InterpolatesInsideTheBucketLikeHistogramQuantile) {
  const std::vector<double> bounds = {0.001, 0.005, 0.01};
  // 10 observations <= 1 ms, 10 in (1, 5] ms, none above.
  const std::vector<std::uint64_t> counts = {10, 20, 20, 20};
  EXPECT_DOUBLE_EQ(bucket_quantile(bounds, counts, 0.5), 0.001);
  EXPECT_DOUBLE_EQ(bucket_quantile(bounds, counts, 0.25), 0.0005);
  EXPECT_DOUBLE_EQ(bucket_quantile(bounds, counts, 0.75), 0.003);
  EXPECT_DOUBLE_EQ(bucket_quantile(bounds, {0, 0, 0, 0}, 0.5), 0.0);
  // Beyond the last finite bound: that bound (the histogram knows no more).
  EXPECT_DOUBLE_EQ(bucket_quantile(bounds, {0, 0, 0, 4}, 0.99), 0.01);
}

TEST(SeriesSampler, PointsAreRatesAndPercentilesOfTheirIntervalOnly) {
  platform::MetricsRegistry registry;
  ports::ManualClock clock;
  auto& ok = registry.counter("cartflow_http_requests_total", "r",
                              {{"method", "GET"}, {"route", "/products"}, {"status", "200"}});
  auto& orders = registry.counter("cartflow_http_requests_total", "r",
                                  {{"method", "POST"}, {"route", "/order"}, {"status", "201"}});
  auto& scrapes = registry.counter("cartflow_http_requests_total", "r",
                                   {{"method", "GET"}, {"route", "/metrics"}, {"status", "200"}});
  auto& latency = registry.histogram("cartflow_http_request_duration_seconds", "d",
                                     {{"method", "GET"}, {"route", "/products"}});
  auto& queue_records = registry.counter("cartflow_mapping_records_total", "m", {{"mapping", "OrderQueue"}});
  auto lag = registry.gauge_callback("cartflow_stream_lag_seconds", "l",
                                     {{"mapping", "OrderStream"}}, [] { return 0.042; });
  SeriesSampler sampler(registry, clock, {.capacity = 3});
  sampler.sample();  // the first reading: no point yet
  EXPECT_TRUE(sampler.points().empty());

  ok.inc(18);
  orders.inc(2);
  scrapes.inc(100);  // scraping /metrics is not traffic
  queue_records.inc(2);
  for (int i = 0; i < 10; ++i) latency.observe(0.0008);  // <= 1 ms
  clock.advance_ms(2000);
  sampler.sample();
  auto points = sampler.points();
  ASSERT_EQ(points.size(), 1u);
  EXPECT_DOUBLE_EQ(points[0].requests_per_s, 10.0);
  EXPECT_DOUBLE_EQ(points[0].orders_per_s, 1.0);
  EXPECT_DOUBLE_EQ(points[0].queue_records_per_s, 1.0);
  EXPECT_DOUBLE_EQ(points[0].p50_ms, 0.5);
  EXPECT_DOUBLE_EQ(points[0].stream_lag_ms, 42.0);
  EXPECT_EQ(points[0].t_ms, clock.now_ms());

  // The next interval has its own latencies: slow ones only.
  for (int i = 0; i < 10; ++i) latency.observe(0.2);  // in (0.1, 0.25]
  clock.advance_ms(1000);
  sampler.sample();
  points = sampler.points();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_DOUBLE_EQ(points[1].requests_per_s, 0.0);  // the counter did not move
  EXPECT_GT(points[1].p50_ms, 100.0);
  EXPECT_LE(points[1].p99_ms, 250.0);

  // Bounded: the oldest points go.
  for (int i = 0; i < 5; ++i) {
    clock.advance_ms(1000);
    sampler.sample();
  }
  points = sampler.points();
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points.back().t_ms, clock.now_ms());
  EXPECT_EQ(points.front().t_ms, clock.now_ms() - 2000);
}

TEST(SeriesSampler, StartsAndStopsItsThread) {
  platform::MetricsRegistry registry;
  ports::SystemClock clock;
  SeriesSampler sampler(registry, clock, {.interval = std::chrono::milliseconds(5)});
  sampler.start();
  sampler.stop();
  sampler.stop();  // idempotent
}

}  // namespace
}  // namespace cartflow::web
