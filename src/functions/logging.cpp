// SPDX-License-Identifier: Apache-2.0
#include "functions/logging.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>
#include <utility>

#include "domain/time.h"
#include "model/dynamo_json.h"

namespace cartflow::functions {
namespace {

void append_key(std::string& out, std::string_view key) {
  out += ',';
  model::append_json_string(out, key);
  out += ':';
}

void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, r.ptr);
}

void append_value(std::string& out, const LogField& field) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          model::append_json_string(out, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, RawJson>) {
          out += v.json.empty() ? std::string_view("null") : v.json;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          append_int(out, v);
        } else {
          char buffer[32];
          auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
          out.append(buffer, r.ptr);
        }
      },
      field.value);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarning: return "WARNING";
    case LogLevel::kError: return "ERROR";
  }
  return "INFO";
}

model::Result<LogLevel> parse_log_level(std::string_view text) {
  if (iequals(text, "debug")) return LogLevel::kDebug;
  if (iequals(text, "info")) return LogLevel::kInfo;
  if (iequals(text, "warn") || iequals(text, "warning")) return LogLevel::kWarning;
  if (iequals(text, "error")) return LogLevel::kError;
  return model::Error::invalid("unknown log level: " + std::string(text));
}

namespace {

// The process's stderr lines (see gather_stderr_lines). Never destroyed: threads may log
// until the process ends; the flusher thread is detached and exit() flushes through atexit.
class StderrLines {
 public:
  static StderrLines& instance() {
    static StderrLines* lines = new StderrLines;
    return *lines;
  }

  void write(std::string_view line) {
    if (!gathering_.load(std::memory_order_acquire)) {
      std::string out(line);
      out += '\n';
      std::fwrite(out.data(), 1, out.size(), stderr);
      return;
    }
    std::unique_lock lock(mutex_);
    pending_.append(line);
    pending_ += '\n';
    if (pending_.size() >= kFlushBytes) write_out(lock);
  }

  void flush() {
    if (!gathering_.load(std::memory_order_acquire)) return;
    std::unique_lock lock(mutex_);
    write_out(lock);
  }

  void gather(std::chrono::milliseconds interval) {
    std::lock_guard lock(mutex_);
    if (gathering_.load()) return;
    gathering_.store(true, std::memory_order_release);
    std::thread([this, interval] {
      for (;;) {
        std::this_thread::sleep_for(interval);
        flush();
      }
    }).detach();
    std::atexit([] { StderrLines::instance().flush(); });
  }

 private:
  static constexpr std::size_t kFlushBytes = 64 * 1024;

  // Takes the waiting lines and writes them; `writing_` keeps batches in order when the
  // flusher and a logging thread both write out.
  void write_out(std::unique_lock<std::mutex>& lock) {
    if (pending_.empty()) return;
    std::string batch;
    batch.swap(pending_);
    std::lock_guard writing(writing_);
    lock.unlock();
    std::fflush(stderr);  // what was written to stderr directly comes first
    std::size_t done = 0;
    while (done < batch.size()) {
      const ssize_t n = ::write(STDERR_FILENO, batch.data() + done, batch.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // stderr closed or full disk: the lines are dropped, never retried
      done += static_cast<std::size_t>(n);
    }
  }

  std::atomic<bool> gathering_{false};
  std::mutex mutex_;
  std::string pending_;  // GUARDED_BY(mutex_)
  std::mutex writing_;   // held while a batch is written
};

}  // namespace

LogSink stderr_sink() {
  return [](std::string_view line) { StderrLines::instance().write(line); };
}

void gather_stderr_lines(std::chrono::milliseconds interval) {
  StderrLines::instance().gather(interval);
}

void flush_stderr_lines() { StderrLines::instance().flush(); }

LogSink stdout_sink() {
  return [](std::string_view line) {
    std::string out(line);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  };
}

LogSink vector_sink(std::vector<std::string>& lines) {
  return [&lines](std::string_view line) { lines.emplace_back(line); };
}

Logger::Logger(std::string service, LogSink sink, LogLevel min_level, const ports::Clock* clock,
               std::string metric_namespace)
    : service_(std::move(service)),
      metric_namespace_(std::move(metric_namespace)),
      sink_(std::move(sink)),
      min_level_(min_level),
      clock_(clock) {}

std::int64_t Logger::now_ms() const {
  if (clock_ != nullptr) return clock_->now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool Logger::sampled(const InvocationContext& context) const {
  if (sample_rate_ <= 0) return false;
  if (sample_rate_ >= 1) return true;
  // FNV-1a of the request id: the same answer on every thread of one invocation.
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : context.request_id) hash = (hash ^ c) * 1099511628211ull;
  return static_cast<double>(hash % 1000000) < sample_rate_ * 1000000.0;
}

void Logger::log(LogLevel level, const InvocationContext* context, std::string_view message,
                 std::initializer_list<LogField> fields) const {
  if (!enabled(level, context)) return;
  std::string line;
  line.reserve(256);
  line += "{\"level\":";
  model::append_json_string(line, log_level_name(level));
  append_key(line, "message");
  model::append_json_string(line, message);
  append_key(line, "timestamp");
  model::append_json_string(line, domain::iso8601_ms(now_ms()));
  append_key(line, "service");
  model::append_json_string(line, service_);
  if (sample_rate_ > 0) {
    append_key(line, "sampling_rate");
    char buffer[32];
    auto r = std::to_chars(buffer, buffer + sizeof buffer, sample_rate_);
    line.append(buffer, r.ptr);
  }
  if (context != nullptr) {
    append_key(line, "cold_start");
    line += context->cold_start ? "true" : "false";
    if (!function_name_.empty()) {
      append_key(line, "function_name");
      model::append_json_string(line, function_name_);
    }
    append_key(line, "function_request_id");
    model::append_json_string(line, context->request_id);
    if (!context->invoked_function_arn.empty()) {
      append_key(line, "function_arn");
      model::append_json_string(line, context->invoked_function_arn);
    }
    if (!context->trace_id.empty()) {
      append_key(line, "xray_trace_id");
      model::append_json_string(line, xray_trace_id(context->trace_id));
    }
  }
  for (const auto& field : fields) {
    append_key(line, field.key);
    append_value(line, field);
  }
  line += '}';
  write_raw(line);
}

void Logger::write_raw(std::string_view line) const {
  if (line.empty() || !sink_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  sink_(line);
}

std::string_view xray_trace_id(std::string_view header) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view part = header.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.substr(0, 5) == "Root=") return part.substr(5);
    start = end + 1;
  }
  return header;
}

void Metrics::add(std::string_view name, std::int64_t delta) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = counts_.find(name);
  if (it == counts_.end()) counts_.emplace(std::string(name), delta);
  else it->second += delta;
}

void Metrics::add_all(const Counts& counts) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, delta] : counts) {
    auto it = counts_.find(name);
    if (it == counts_.end()) counts_.emplace(name, delta);
    else it->second += delta;
  }
}

std::int64_t Metrics::value(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = counts_.find(name);
  return it == counts_.end() ? 0 : it->second;
}

Counts Metrics::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

std::string emf_line(std::string_view metric_namespace, std::string_view service,
                     const Counts& counts, std::int64_t timestamp_ms) {
  std::string definitions;
  std::string values;
  for (const auto& [name, count] : counts) {
    if (count == 0) continue;
    if (!definitions.empty()) definitions += ',';
    definitions += "{\"Name\":";
    model::append_json_string(definitions, name);
    definitions += ",\"Unit\":\"Count\"}";
    append_key(values, name);
    append_int(values, count);
  }
  if (definitions.empty()) return {};
  std::string out = "{\"_aws\":{\"Timestamp\":";
  append_int(out, timestamp_ms);
  out += ",\"CloudWatchMetrics\":[{\"Namespace\":";
  model::append_json_string(out, metric_namespace);
  out += ",\"Dimensions\":[[\"service\"]],\"Metrics\":[";
  out += definitions;
  out += "]}]},\"service\":";
  model::append_json_string(out, service);
  out += values;
  out += '}';
  return out;
}

void flush_counts(const Logger& logger, Metrics& metrics, const Counts& counts) {
  metrics.add_all(counts);
  logger.write_raw(emf_line(logger.metric_namespace(), logger.service(), counts, logger.now_ms()));
}

}  // namespace cartflow::functions

namespace cartflow::functions {

void append_emf_document(std::string& out, std::string_view metric_namespace,
                         std::string_view service, std::initializer_list<EmfDimension> dimensions,
                         std::initializer_list<EmfMetric> metrics, std::int64_t timestamp_ms) {
  out += "{\"_aws\":{\"Timestamp\":";
  append_int(out, timestamp_ms);
  out += ",\"CloudWatchMetrics\":[{\"Namespace\":";
  model::append_json_string(out, metric_namespace);
  out += ",\"Dimensions\":[[\"service\"";
  for (const EmfDimension& d : dimensions) {
    out += ',';
    model::append_json_string(out, d.name);
  }
  out += "]],\"Metrics\":[";
  bool first = true;
  for (const EmfMetric& m : metrics) {
    if (!first) out += ',';
    first = false;
    out += "{\"Name\":";
    model::append_json_string(out, m.name);
    out += ",\"Unit\":";
    model::append_json_string(out, m.unit);
    out += '}';
  }
  out += "]}]},\"service\":";
  model::append_json_string(out, service);
  for (const EmfDimension& d : dimensions) {
    append_key(out, d.name);
    model::append_json_string(out, d.value);
  }
  for (const EmfMetric& m : metrics) {
    append_key(out, m.name);
    append_value(out, LogField(m.name, m.value));
  }
  out += '}';
}

void emit_metrics(const Logger& logger, std::initializer_list<EmfDimension> dimensions,
                  std::initializer_list<EmfMetric> metrics) {
  std::string line;
  line.reserve(384);
  append_emf_document(line, logger.metric_namespace(), logger.service(), dimensions, metrics,
                      logger.now_ms());
  logger.write_raw(line);
}

}  // namespace cartflow::functions
