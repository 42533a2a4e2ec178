// SPDX-License-Identifier: Apache-2.0
#include "platform/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace cartflow::platform {

namespace {

void atomic_add(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
  }
}

// Prometheus number formatting as its own clients write it (Go's FormatFloat(v, 'g', -1)): the
// shortest text that reads back as the same double ("0.005", not "0.0050000000000000001"),
// integers without a fraction, +Inf/-Inf/NaN by name.
void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    out += std::to_string(static_cast<std::int64_t>(v));
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}

void append_labels(std::string& out, const Labels& labels, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    out += escape_label_value(v);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Counter::inc(double delta) {
  if (!(delta >= 0)) return;
  atomic_add(value_, delta);
}

void Gauge::add(double delta) { atomic_add(value_, delta); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double value) {
  std::size_t i = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                           bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, value);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

const std::vector<double>& default_latency_buckets() {
  static const std::vector<double> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,   1.0,  2.5,   5.0,  10.0};
  return kBuckets;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// ---- registry ----

struct MetricsRegistry::Family {
  std::string help;
  Type type;
  std::map<Labels, std::unique_ptr<Counter>> counters;
  std::map<Labels, std::unique_ptr<Gauge>> gauges;
  std::map<Labels, std::unique_ptr<Histogram>> histograms;
  struct Callback {
    Labels labels;
    std::function<double()> read;
  };
  std::map<std::uint64_t, Callback> callbacks;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 Type type) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    auto f = std::make_unique<Family>();
    f->help = std::string(help);
    f->type = type;
    it = families_.emplace(std::string(name), std::move(f)).first;
  }
  return *it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const Labels& labels) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, Type::kCounter);
  if (f.type != Type::kCounter) {
    errors_.push_back(std::string(name) + " requested as counter but is another type");
    return *detached_counters_.emplace_back(std::make_unique<Counter>());
  }
  auto& slot = f.counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, Type::kGauge);
  if (f.type != Type::kGauge) {
    errors_.push_back(std::string(name) + " requested as gauge but is another type");
    return *detached_gauges_.emplace_back(std::make_unique<Gauge>());
  }
  auto& slot = f.gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const Labels& labels,
                                      const std::vector<double>& upper_bounds) {
  const std::vector<double>& bounds =
      upper_bounds.empty() ? default_latency_buckets() : upper_bounds;
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, Type::kHistogram);
  if (f.type != Type::kHistogram) {
    errors_.push_back(std::string(name) + " requested as histogram but is another type");
    return *detached_histograms_.emplace_back(std::make_unique<Histogram>(bounds));
  }
  auto& slot = f.histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(bounds);
  return *slot;
}

CallbackRegistration MetricsRegistry::gauge_callback(std::string_view name, std::string_view help,
                                                     const Labels& labels,
                                                     std::function<double()> read) {
  return add_callback(name, help, Type::kGauge, labels, std::move(read));
}

CallbackRegistration MetricsRegistry::counter_callback(std::string_view name, std::string_view help,
                                                       const Labels& labels,
                                                       std::function<double()> read) {
  return add_callback(name, help, Type::kCounter, labels, std::move(read));
}

CallbackRegistration MetricsRegistry::add_callback(std::string_view name, std::string_view help,
                                                   Type type, const Labels& labels,
                                                   std::function<double()> read) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, type);
  if (f.type != type) {
    errors_.push_back(std::string(name) + " requested as " +
                      (type == Type::kGauge ? "gauge" : "counter") + " but is another type");
    return {};
  }
  std::uint64_t id = next_callback_id_++;
  f.callbacks.emplace(id, Family::Callback{labels, std::move(read)});
  return CallbackRegistration(this, id);
}

void MetricsRegistry::unregister(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  for (auto& [name, f] : families_) {
    if (f->callbacks.erase(id) > 0) return;
  }
}

std::vector<MetricSample> MetricsRegistry::snapshot(
    const std::function<bool(std::string_view)>& want) const {
  std::vector<MetricSample> out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    if (!want(name)) continue;
    for (const auto& [labels, c] : f->counters) out.push_back({name, labels, c->value(), {}, {}});
    for (const auto& [labels, g] : f->gauges) out.push_back({name, labels, g->value(), {}, {}});
    // Under the lock, as in render(): unregistering waits for a running callback.
    for (const auto& [id, cb] : f->callbacks) out.push_back({name, cb.labels, cb.read(), {}, {}});
    for (const auto& [labels, h] : f->histograms) {
      MetricSample sample{name, labels, 0.0, h->upper_bounds(), h->cumulative()};
      sample.value = static_cast<double>(sample.cumulative.back());
      out.push_back(std::move(sample));
    }
  }
  return out;
}

void MetricsRegistry::append_callbacks(std::string& out, const std::string& name, const Family& f) {
  // Called under the lock so that unregistering (which takes it) waits for a running callback:
  // the object it reads cannot be destroyed under it.
  for (const auto& [id, cb] : f.callbacks) {
    out += name;
    append_labels(out, cb.labels);
    out += ' ';
    append_number(out, cb.read());
    out += '\n';
  }
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& e : errors_) out += "# ERROR " + e + "\n";
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + escape_help(f->help) + "\n# TYPE " + name + " ";
    switch (f->type) {
      case Type::kCounter:
        out += "counter\n";
        for (const auto& [labels, c] : f->counters) {
          out += name;
          append_labels(out, labels);
          out += ' ';
          append_number(out, c->value());
          out += '\n';
        }
        append_callbacks(out, name, *f);
        break;
      case Type::kGauge:
        out += "gauge\n";
        for (const auto& [labels, g] : f->gauges) {
          out += name;
          append_labels(out, labels);
          out += ' ';
          append_number(out, g->value());
          out += '\n';
        }
        append_callbacks(out, name, *f);
        break;
      case Type::kHistogram:
        out += "histogram\n";
        for (const auto& [labels, h] : f->histograms) {
          std::vector<std::uint64_t> cum = h->cumulative();
          const auto& bounds = h->upper_bounds();
          for (std::size_t i = 0; i <= bounds.size(); ++i) {
            std::string le;
            if (i < bounds.size()) {
              append_number(le, bounds[i]);
            } else {
              le = "+Inf";
            }
            out += name + "_bucket";
            append_labels(out, labels, "le", le);
            out += ' ' + std::to_string(cum[i]) + '\n';
          }
          out += name + "_sum";
          append_labels(out, labels);
          out += ' ';
          append_number(out, h->sum());
          out += '\n' + name + "_count";
          append_labels(out, labels);
          out += ' ' + std::to_string(cum.back()) + '\n';
        }
        break;
    }
  }
  return out;
}

// ---- CallbackRegistration ----

CallbackRegistration::CallbackRegistration(CallbackRegistration&& other) noexcept
    : registry_(other.registry_), id_(other.id_) {
  other.registry_ = nullptr;
}

CallbackRegistration& CallbackRegistration::operator=(CallbackRegistration&& other) noexcept {
  if (this != &other) {
    reset();
    registry_ = other.registry_;
    id_ = other.id_;
    other.registry_ = nullptr;
  }
  return *this;
}

CallbackRegistration::~CallbackRegistration() { reset(); }

void CallbackRegistration::reset() {
  if (registry_ != nullptr) registry_->unregister(id_);
  registry_ = nullptr;
}

}  // namespace cartflow::platform
