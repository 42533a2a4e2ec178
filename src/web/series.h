// SPDX-License-Identifier: Apache-2.0
#pragma once

// SeriesSampler: the console's charts' data, a small in-process time series. Every `interval`
// (1 s) a thread reads the few metrics the charts need from the MetricsRegistry (snapshot(), no
// text round trip) and keeps one point per interval in a ring of `capacity` points (600: the
// last ten minutes, ~50 KB), so memory is bounded however long `serve` runs.
//
// A point holds rates over its interval (the difference of two readings of the counters), the
// latency percentiles of the requests answered in it (estimated from the histogram buckets'
// differences by linear interpolation inside a bucket, as Prometheus' histogram_quantile does:
// as exact as the buckets are narrow), and the gauges as read (stream lag, queue depths).
//
// Metrics read (see apps/cartflow/serve_metrics.h and platform/api_gateway.h):
//   cartflow_http_requests_total{method,route,status}       requests; POST /order 201 = orders
//   cartflow_http_request_duration_seconds{method,route}    latency (route /metrics left out)
//   cartflow_mapping_records_total{mapping}  records a mapping handed on
//   cartflow_cart_items_ordered_total        cart items update-cart-status marked ORDERED
//   cartflow_stream_lag_seconds{mapping}     pipeline lag
//   cartflow_queue_{visible,in_flight}_messages{queue,role} queue depths
//
// Threading: thread-safe; the registry and clock must outlive the sampler.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/metrics.h"
#include "ports/clock.h"

namespace cartflow::web {

struct SeriesPoint {
  std::int64_t t_ms = 0;           // end of the interval (Unix ms)
  double requests_per_s = 0;       // API requests answered
  double p50_ms = 0, p95_ms = 0, p99_ms = 0;  // of those requests; 0 when none
  double orders_per_s = 0;         // POST /order answered 201
  double stream_records_per_s = 0; // orders the stream mapping handed to process-cart-products
  double queue_records_per_s = 0;  // messages the queue mapping handed to update-cart-status
  double items_ordered_per_s = 0;  // cart items update-cart-status marked ORDERED
  double stream_lag_ms = 0;        // age of the oldest record the stream mapping has not done
  double queue_visible = 0, queue_in_flight = 0, dead_letter = 0;
};

// Cumulative readings the points are differences of. Public for tests.
struct SeriesReading {
  std::int64_t t_ms = 0;
  double requests = 0, orders = 0, stream_records = 0, queue_records = 0, items_ordered = 0;
  std::vector<double> bounds;               // latency bucket bounds (seconds)
  std::vector<std::uint64_t> latency;       // cumulative counts per bound, then +Inf
  double stream_lag_ms = 0, queue_visible = 0, queue_in_flight = 0, dead_letter = 0;
};

struct SeriesOptions {
  std::chrono::milliseconds interval{1000};
  std::size_t capacity = 600;
  std::string stream_mapping = "OrderStream";  // the `mapping` labels (deploy settings)
  std::string queue_mapping = "OrderQueue";
};

// Reads the registry now. Cost: the wanted families only (a few dozen series, the queue depth
// callbacks run one COUNT each).
SeriesReading read_series(const platform::MetricsRegistry& registry, const SeriesOptions& options,
                          std::int64_t now_ms);
// The point for the interval between two readings (`before` earlier).
SeriesPoint series_point(const SeriesReading& before, const SeriesReading& after);
// The `q` quantile (0..1) of the observations in `counts` (cumulative per bound, then +Inf), in
// the bounds' unit; 0 when there are none; the last finite bound when it falls in +Inf.
double bucket_quantile(const std::vector<double>& bounds, const std::vector<std::uint64_t>& counts,
                       double q);

class SeriesSampler {
 public:
  SeriesSampler(const platform::MetricsRegistry& registry, const ports::Clock& clock,
                SeriesOptions options = {});
  ~SeriesSampler();  // stop()s
  SeriesSampler(const SeriesSampler&) = delete;
  SeriesSampler& operator=(const SeriesSampler&) = delete;

  // Starts the sampling thread (once); stop() joins it (idempotent).
  void start();
  void stop();
  // Takes one reading now and appends the point since the previous one (the thread's step;
  // tests call it directly).
  void sample();
  // The points, oldest first, at most `capacity`.
  std::vector<SeriesPoint> points() const;
  std::chrono::milliseconds interval() const { return options_.interval; }

 private:
  const platform::MetricsRegistry& registry_;
  const ports::Clock& clock_;
  SeriesOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                 // GUARDED_BY(mutex_)
  bool has_previous_ = false;             // GUARDED_BY(mutex_)
  SeriesReading previous_;                // GUARDED_BY(mutex_)
  std::deque<SeriesPoint> points_;        // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace cartflow::web
