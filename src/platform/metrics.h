// SPDX-License-Identifier: Apache-2.0
#pragma once

// MetricsRegistry: counters, gauges and histograms with labels, rendered in the Prometheus text
// exposition format (version 0.0.4) for `GET /metrics`. Every part of the platform (HTTP server,
// API Gateway, event source mappings, queues) registers its metrics on the one registry that the
// app creates and passes down by reference.
//
// Ownership: the registry owns every metric; references returned by counter()/gauge()/histogram()
// stay valid for the registry's life. Callback gauges are owned by the returned
// CallbackRegistration: the callback is removed when it is destroyed, so a component that dies
// before the registry never gets called.
// Threading: everything is thread-safe. Updates to a metric are lock-free (atomics); looking a
// metric up takes a mutex, so hot paths should keep the reference.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartflow::platform {

// Label pairs, e.g. {{"route", "/cart/{user_id}"}, {"status", "200"}}. Order is kept as given;
// the same names in another order name another series, so callers use one fixed order.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  // Adds `delta` (must be >= 0; negative deltas are ignored, a counter never goes down).
  void inc(double delta = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double delta);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `upper_bounds` ascending, without +Inf (added implicitly).
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& upper_bounds() const { return bounds_; }
  // Cumulative counts per bound, then the +Inf bucket (== count()), as Prometheus renders them.
  std::vector<std::uint64_t> cumulative() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, size bounds_+1
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

// Latency buckets in seconds, 1 ms to 10 s (Prometheus client defaults plus 1 ms).
const std::vector<double>& default_latency_buckets();

class MetricsRegistry;

// One series as MetricsRegistry::snapshot() reads it.
struct MetricSample {
  std::string name;
  Labels labels;
  double value = 0.0;                     // counters, gauges; histograms: the count
  std::vector<double> upper_bounds;       // histograms only, without +Inf
  std::vector<std::uint64_t> cumulative;  // histograms only: Histogram::cumulative()
};

// Keeps a callback gauge registered; unregisters it on destruction. Movable.
class CallbackRegistration {
 public:
  CallbackRegistration() = default;
  CallbackRegistration(CallbackRegistration&& other) noexcept;
  CallbackRegistration& operator=(CallbackRegistration&& other) noexcept;
  CallbackRegistration(const CallbackRegistration&) = delete;
  CallbackRegistration& operator=(const CallbackRegistration&) = delete;
  ~CallbackRegistration();
  void reset();  // unregisters now

 private:
  friend class MetricsRegistry;
  CallbackRegistration(MetricsRegistry* registry, std::uint64_t id)
      : registry_(registry), id_(id) {}
  MetricsRegistry* registry_ = nullptr;
  std::uint64_t id_ = 0;
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  // Returns the series `name{labels}`, creating it (and its family with `help`) on first use.
  // `name` must be a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*); counters should end
  // in `_total`. Using one name with two different types is a bug: the second call gets a
  // detached metric that is never rendered (and the mismatch is reported in the output as a
  // comment, so it is seen).
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  // `upper_bounds` is used when the series is created (default: default_latency_buckets()).
  Histogram& histogram(std::string_view name, std::string_view help, const Labels& labels = {},
                       const std::vector<double>& upper_bounds = {});

  // A gauge whose value is read from `read` at each render (queue depth, stream lag). `read`
  // runs on the rendering thread with the registry's lock held (so that unregistering waits for
  // a running call): it must be thread-safe, quick, and must not call the registry.
  [[nodiscard]] CallbackRegistration gauge_callback(std::string_view name, std::string_view help,
                                                    const Labels& labels,
                                                    std::function<double()> read);
  // The same for a counter kept by another component (a running total that only grows, such as
  // a mapping's batches): rendered with TYPE counter, so `name` should end in `_total`.
  [[nodiscard]] CallbackRegistration counter_callback(std::string_view name, std::string_view help,
                                                      const Labels& labels,
                                                      std::function<double()> read);

  // The whole registry in Prometheus text format, families sorted by name, series by labels.
  std::string render() const;
  // The current value of every series of the families whose name `want` accepts, in render()'s
  // order, callback gauges read as render() reads them (so `want` keeps the cost to what the
  // caller needs). For in-process readers (the console's time series): no text round trip.
  std::vector<MetricSample> snapshot(const std::function<bool(std::string_view)>& want) const;

  // Content-Type of render()'s output.
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  friend class CallbackRegistration;
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family;
  Family& family(std::string_view name, std::string_view help, Type type);
  CallbackRegistration add_callback(std::string_view name, std::string_view help, Type type,
                                    const Labels& labels, std::function<double()> read);
  static void append_callbacks(std::string& out, const std::string& name, const Family& f);
  void unregister(std::uint64_t id);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;  // GUARDED_BY(mutex_)
  std::vector<std::string> errors_;                                       // GUARDED_BY(mutex_)
  std::uint64_t next_callback_id_ = 1;                                    // GUARDED_BY(mutex_)
  // Detached metrics handed out on type mismatches; kept alive for the registry's life.
  std::vector<std::unique_ptr<Counter>> detached_counters_;
  std::vector<std::unique_ptr<Gauge>> detached_gauges_;
  std::vector<std::unique_ptr<Histogram>> detached_histograms_;
};

// Escapes a label value for the text format (backslash, double quote, newline).
std::string escape_label_value(std::string_view value);

}  // namespace cartflow::platform
