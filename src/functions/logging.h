// SPDX-License-Identifier: Apache-2.0
#pragma once

// Structured logging and counters for the handlers, in the shape AWS Lambda Powertools users
// know: one JSON object per line with level, message, timestamp, service, cold_start,
// function_name, function_request_id, function_arn, xray_trace_id (each when known), then the
// call's own fields (the API's correlation_id among them). The one logger of the program: the
// handlers, the runtime loop, the event source mappings and `serve` all write through it.
// Counters are flushed per invocation as a CloudWatch Embedded Metric Format line, which
// CloudWatch turns into metrics (Powertools Metrics does the same), and accumulated in Metrics
// for tests, `cartflow serve` and benchmarks.
// Logger and Metrics are thread-safe; one line is written whole (never interleaved).

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "functions/handler.h"
#include "model/result.h"
#include "ports/clock.h"

namespace cartflow::functions {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "DEBUG", "INFO", "WARNING", "ERROR" (Powertools for Python's names).
const char* log_level_name(LogLevel level);
// Case-insensitive "debug", "info", "warn"/"warning", "error" (POWERTOOLS_LOG_LEVEL,
// AWS_LAMBDA_LOG_LEVEL); kInvalidArgument otherwise.
model::Result<LogLevel> parse_log_level(std::string_view text);

// A value that is already JSON (an event), written as is.
struct RawJson {
  std::string_view json;
};

// One extra key of a log line. Holds views: valid for the duration of the log call only.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, std::int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, std::size_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, RawJson v) : key(k), value(v) {}

  std::string_view key;
  std::variant<std::string_view, std::int64_t, bool, double, RawJson> value;
};

// Receives one complete line (no trailing newline). Called under the logger's lock, so a sink
// need not be thread-safe itself.
using LogSink = std::function<void(std::string_view line)>;
LogSink stderr_sink();  // Lambda collects both streams; stderr keeps stdout for responses
LogSink stdout_sink();

// Every stderr_sink() of the process writes through one stderr writer. By default a line is
// written at once (under Lambda a line must be out before the invocation's answer, after which
// the process may be frozen). gather_stderr_lines() switches the process, for good, to lines
// gathered in memory and written one write() per batch: by a flusher thread every `interval`,
// at once when 64 KiB wait, and at exit (return from main, std::exit). A SIGKILL loses at most
// the last interval's lines. For `cartflow serve`, where a line per request otherwise costs a
// write() per request. flush_stderr_lines() writes what waits now (before writing to stderr
// directly, so lines keep their order). Thread-safe; lines stay whole and in order.
void gather_stderr_lines(std::chrono::milliseconds interval);
void flush_stderr_lines();
// Appends lines to `lines` (tests). `lines` must outlive the sink.
LogSink vector_sink(std::vector<std::string>& lines);

class Logger {
 public:
  // `clock` may be null (system time); when given it must outlive the logger.
  // `metric_namespace` is the CloudWatch namespace of the EMF lines (POWERTOOLS_METRICS_NAMESPACE).
  Logger(std::string service, LogSink sink, LogLevel min_level = LogLevel::kInfo,
         const ports::Clock* clock = nullptr, std::string metric_namespace = "cartflow");

  // Settings Powertools reads from the environment (see apps/cartflow/logger_env.h). Set them
  // before the logger is shared between threads.
  // function_name key of every line (AWS_LAMBDA_FUNCTION_NAME); empty: omitted.
  void set_function_name(std::string name) { function_name_ = std::move(name); }
  // POWERTOOLS_LOGGER_SAMPLE_RATE: the share (0..1) of invocations logged at DEBUG whatever the
  // level; the choice is made per invocation from its request id (every line of a sampled
  // invocation, on any thread), and lines then carry "sampling_rate".
  void set_sample_rate(double rate) { sample_rate_ = rate < 0 ? 0 : rate > 1 ? 1 : rate; }
  // POWERTOOLS_LOGGER_LOG_EVENT: the runtime loop logs each incoming event at INFO.
  void set_log_event(bool on) { log_event_ = on; }

  const std::string& service() const { return service_; }
  const std::string& function_name() const { return function_name_; }
  const std::string& metric_namespace() const { return metric_namespace_; }
  bool log_event() const { return log_event_; }
  double sample_rate() const { return sample_rate_; }
  // Whether a line of `level` is written (check it before building costly fields). With a
  // sample rate, DEBUG lines of a sampled invocation are enabled too.
  bool enabled(LogLevel level) const { return level >= min_level_; }
  bool enabled(LogLevel level, const InvocationContext* context) const {
    return level >= min_level_ || (sample_rate_ > 0 && context != nullptr && sampled(*context));
  }
  // Whether `context`'s invocation falls in the sample (POWERTOOLS_LOGGER_SAMPLE_RATE).
  bool sampled(const InvocationContext& context) const;

  // Writes one line if `level` is enabled. `context` may be null (outside an invocation: the
  // invocation keys are then omitted).
  void log(LogLevel level, const InvocationContext* context, std::string_view message,
           std::initializer_list<LogField> fields = {}) const;
  void debug(const InvocationContext& c, std::string_view m,
             std::initializer_list<LogField> f = {}) const { log(LogLevel::kDebug, &c, m, f); }
  void info(const InvocationContext& c, std::string_view m,
            std::initializer_list<LogField> f = {}) const { log(LogLevel::kInfo, &c, m, f); }
  void warn(const InvocationContext& c, std::string_view m,
            std::initializer_list<LogField> f = {}) const { log(LogLevel::kWarning, &c, m, f); }
  void error(const InvocationContext& c, std::string_view m,
             std::initializer_list<LogField> f = {}) const { log(LogLevel::kError, &c, m, f); }

  // Writes a line as is (already JSON), whatever the level: EMF metric lines.
  void write_raw(std::string_view line) const;

  std::int64_t now_ms() const;

 private:
  std::string service_;
  std::string metric_namespace_;
  std::string function_name_;
  double sample_rate_ = 0;
  bool log_event_ = false;
  LogSink sink_;
  LogLevel min_level_;
  const ports::Clock* clock_;
  mutable std::mutex mutex_;  // serializes sink_ calls
};

// The Root part of an X-Ray trace header ("Root=1-5759e988-bd86...;Parent=...;Sampled=1" ->
// "1-5759e988-bd86..."), as Powertools logs xray_trace_id; the header itself when it has no
// Root=.
std::string_view xray_trace_id(std::string_view trace_header);

// Named counters. Thread-safe.
class Metrics {
 public:
  void add(std::string_view name, std::int64_t delta = 1);
  void add_all(const std::map<std::string, std::int64_t, std::less<>>& counts);
  // 0 for a counter never added to.
  std::int64_t value(std::string_view name) const;
  std::map<std::string, std::int64_t, std::less<>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t, std::less<>> counts_;  // GUARDED_BY(mutex_)
};

// Per-invocation counts, not shared between threads of one invocation without a lock.
using Counts = std::map<std::string, std::int64_t, std::less<>>;

// One CloudWatch Embedded Metric Format document (unit Count, dimension service) with the
// non-zero counts; empty string when all are zero.
std::string emf_line(std::string_view metric_namespace, std::string_view service,
                     const Counts& counts, std::int64_t timestamp_ms);

// Adds `counts` to `metrics` and writes their EMF line through `logger` (in its namespace).
void flush_counts(const Logger& logger, Metrics& metrics, const Counts& counts);

// One metric of an EMF document: a CloudWatch unit ("Count", "Milliseconds") and its value.
struct EmfMetric {
  std::string_view name;
  std::string_view unit;
  double value;
};
// A dimension of an EMF document besides `service` (e.g. {"route", "/cart/{user_id}"}).
struct EmfDimension {
  std::string_view name;
  std::string_view value;
};

// One CloudWatch Embedded Metric Format document with the dimension set {service, dimensions...}
// and `metrics`, as Powertools Metrics writes it (e.g. ColdStart with function_name, or a
// request's count and latency per route and status). Appended to `out` (no newline), so a caller
// can reuse one buffer.
void append_emf_document(std::string& out, std::string_view metric_namespace,
                         std::string_view service, std::initializer_list<EmfDimension> dimensions,
                         std::initializer_list<EmfMetric> metrics, std::int64_t timestamp_ms);

// Writes such a document through `logger` (its namespace and service, its clock's time).
void emit_metrics(const Logger& logger, std::initializer_list<EmfDimension> dimensions,
                  std::initializer_list<EmfMetric> metrics);

}  // namespace cartflow::functions
