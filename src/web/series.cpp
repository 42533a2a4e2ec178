// SPDX-License-Identifier: Apache-2.0
#include "web/series.h"

#include <algorithm>

#include "util/thread_name.h"

namespace cartflow::web {

namespace {

std::string_view label(const platform::Labels& labels, std::string_view name) {
  for (const auto& [k, v] : labels) {
    if (k == name) return v;
  }
  return {};
}

bool wanted(std::string_view name) {
  return name == "cartflow_http_requests_total" ||
         name == "cartflow_http_request_duration_seconds" ||
         name == "cartflow_mapping_records_total" || name == "cartflow_stream_lag_seconds" ||
         name == "cartflow_cart_items_ordered_total" ||
         name == "cartflow_queue_visible_messages" ||
         name == "cartflow_queue_in_flight_messages";
}

double rate(double before, double after, double seconds) {
  // A counter that went down was reset (a restart); count from zero.
  const double delta = after >= before ? after - before : after;
  return seconds > 0 ? delta / seconds : 0;
}

}  // namespace

SeriesReading read_series(const platform::MetricsRegistry& registry, const SeriesOptions& options,
                          std::int64_t now_ms) {
  SeriesReading r;
  r.t_ms = now_ms;
  for (const platform::MetricSample& s : registry.snapshot(wanted)) {
    if (s.name == "cartflow_http_requests_total") {
      if (label(s.labels, "route") == "/metrics") continue;
      r.requests += s.value;
      if (label(s.labels, "route") == "/order" && label(s.labels, "status") == "201") {
        r.orders += s.value;
      }
    } else if (s.name == "cartflow_http_request_duration_seconds") {
      if (label(s.labels, "route") == "/metrics") continue;
      if (r.bounds.empty()) {
        r.bounds = s.upper_bounds;
        r.latency.assign(s.cumulative.size(), 0);
      }
      if (s.upper_bounds != r.bounds) continue;  // every route uses the default buckets
      for (std::size_t i = 0; i < s.cumulative.size(); ++i) r.latency[i] += s.cumulative[i];
    } else if (s.name == "cartflow_mapping_records_total") {
      if (label(s.labels, "mapping") == options.stream_mapping) r.stream_records += s.value;
      if (label(s.labels, "mapping") == options.queue_mapping) r.queue_records += s.value;
    } else if (s.name == "cartflow_cart_items_ordered_total") {
      r.items_ordered += s.value;
    } else if (s.name == "cartflow_stream_lag_seconds") {
      r.stream_lag_ms = std::max(r.stream_lag_ms, s.value * 1000.0);
    } else if (s.name == "cartflow_queue_visible_messages") {
      const std::string_view role = label(s.labels, "role");
      if (role == "orders") r.queue_visible += s.value;
      if (role == "dead_letter") r.dead_letter += s.value;
    } else if (s.name == "cartflow_queue_in_flight_messages") {
      const std::string_view role = label(s.labels, "role");
      if (role == "orders") r.queue_in_flight += s.value;
      if (role == "dead_letter") r.dead_letter += s.value;
    }
  }
  return r;
}

double bucket_quantile(const std::vector<double>& bounds, const std::vector<std::uint64_t>& counts,
                       double q) {
  if (counts.empty() || counts.back() == 0 || bounds.empty()) return 0;
  const double rank = q * static_cast<double>(counts.back());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (static_cast<double>(counts[i]) < rank) continue;
    if (i >= bounds.size()) return bounds.back();  // in +Inf: the highest finite bound
    const double lower = i == 0 ? 0.0 : bounds[i - 1];
    const double below = i == 0 ? 0.0 : static_cast<double>(counts[i - 1]);
    const double in_bucket = static_cast<double>(counts[i]) - below;
    if (in_bucket <= 0) return bounds[i];
    return lower + (bounds[i] - lower) * (rank - below) / in_bucket;
  }
  return bounds.back();
}

SeriesPoint series_point(const SeriesReading& before, const SeriesReading& after) {
  SeriesPoint p;
  p.t_ms = after.t_ms;
  const double seconds = static_cast<double>(after.t_ms - before.t_ms) / 1000.0;
  p.requests_per_s = rate(before.requests, after.requests, seconds);
  p.orders_per_s = rate(before.orders, after.orders, seconds);
  p.stream_records_per_s = rate(before.stream_records, after.stream_records, seconds);
  p.queue_records_per_s = rate(before.queue_records, after.queue_records, seconds);
  p.items_ordered_per_s = rate(before.items_ordered, after.items_ordered, seconds);
  if (after.bounds == before.bounds && after.latency.size() == before.latency.size()) {
    std::vector<std::uint64_t> delta(after.latency.size());
    for (std::size_t i = 0; i < delta.size(); ++i) {
      delta[i] = after.latency[i] >= before.latency[i] ? after.latency[i] - before.latency[i] : 0;
    }
    p.p50_ms = bucket_quantile(after.bounds, delta, 0.50) * 1000.0;
    p.p95_ms = bucket_quantile(after.bounds, delta, 0.95) * 1000.0;
    p.p99_ms = bucket_quantile(after.bounds, delta, 0.99) * 1000.0;
  }
  p.stream_lag_ms = after.stream_lag_ms;
  p.queue_visible = after.queue_visible;
  p.queue_in_flight = after.queue_in_flight;
  p.dead_letter = after.dead_letter;
  return p;
}

SeriesSampler::SeriesSampler(const platform::MetricsRegistry& registry, const ports::Clock& clock,
                             SeriesOptions options)
    : registry_(registry), clock_(clock), options_(std::move(options)) {}

SeriesSampler::~SeriesSampler() { stop(); }

void SeriesSampler::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    util::name_this_thread("cf-series");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      sample();
      lock.lock();
      wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
    }
  });
}

void SeriesSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SeriesSampler::sample() {
  // Read outside the lock: the queue depth callbacks query the database.
  SeriesReading now = read_series(registry_, options_, clock_.now_ms());
  std::lock_guard lock(mutex_);
  if (has_previous_ && now.t_ms > previous_.t_ms) {
    points_.push_back(series_point(previous_, now));
    while (points_.size() > options_.capacity) points_.pop_front();
  }
  if (!has_previous_ || now.t_ms > previous_.t_ms) previous_ = std::move(now);
  has_previous_ = true;
}

std::vector<SeriesPoint> SeriesSampler::points() const {
  std::lock_guard lock(mutex_);
  return {points_.begin(), points_.end()};
}

}  // namespace cartflow::web
