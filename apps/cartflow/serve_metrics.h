// SPDX-License-Identifier: Apache-2.0
#pragma once

// PipelineMetrics: the pipeline's state as Prometheus gauges for `GET /metrics`: mapping
// batches, records, errors and retries, queue depth (visible, in flight), DLQ and on-failure
// depth, cart items marked ORDERED by update-cart-status (its CartItemsOrdered count), and stream
// lag (records behind, age of the oldest unprocessed record in seconds). Values are
// read when /metrics is rendered. Everything passed in must outlive the object.

#include <functional>
#include <vector>

#include "embedded/database.h"
#include "functions/api_request.h"
#include "system.h"
#include "platform/metrics.h"
#include "platform/queue_mapping.h"
#include "platform/stream_mapping.h"

namespace cartflow::app {

// Stream lag of a mapping: records after its checkpoint (-1 when the stream's positions are
// opaque, as DynamoDB Streams' are), and the age of the first of them.
struct StreamLag {
  std::int64_t records = 0;
  std::int64_t oldest_age_ms = 0;
};
StreamLag stream_lag(System& system, const platform::StreamMapping& mapping);

// A handler that records each invocation's duration in
// cartflow_handler_duration_seconds{function} (and errors in cartflow_handler_errors_total),
// then answers as the handler it wraps. Thread-safe as the wrapped handler is.
class TimedHandler final : public functions::Handler {
 public:
  TimedHandler(functions::Handler& inner, platform::MetricsRegistry& registry);
  std::string_view name() const override { return inner_.name(); }
  model::Result<std::string> invoke(std::string_view event_json,
                                    const functions::InvocationContext& context) override;

 private:
  functions::Handler& inner_;
  platform::Histogram& duration_;
  platform::Counter& errors_;
};

// The same for the api's typed door (what the gateway calls): the duration of each request in
// cartflow_handler_duration_seconds{function="api"}. The typed door has no function errors (every
// failure is an HTTP status), so cartflow_handler_errors_total{function="api"} stays 0.
class TimedApiHandler final : public functions::ApiRequestHandler {
 public:
  TimedApiHandler(functions::ApiRequestHandler& inner, platform::MetricsRegistry& registry);
  functions::ApiResponse serve(const functions::ApiRequest& request) override;

 private:
  functions::ApiRequestHandler& inner_;
  platform::Histogram& duration_;
};

// What the stream side reports: the counters of its mapping (or of every shard's mapping
// under leases) and its lag.
struct StreamSource {
  std::function<platform::MappingStatsSnapshot()> stats;
  std::function<StreamLag()> lag;
  // With shard leases: how many this instance holds (cartflow_stream_leases_held); else empty.
  std::function<double()> leases_held;
};

class PipelineMetrics {
 public:
  // `database` is the server's SQLite file (the whole store when embedded; API keys with
  // --backend aws): its writer's counters are exported.
  PipelineMetrics(platform::MetricsRegistry& registry, System& system, embedded::Database& database,
                  StreamSource stream, const platform::QueueMapping& queue);

 private:
  std::vector<platform::CallbackRegistration> registrations_;
};

}  // namespace cartflow::app
