// SPDX-License-Identifier: Apache-2.0
#include "serve_metrics.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <string>

#include "functions/update_cart_status.h"

namespace cartflow::app {

namespace {

// The embedded stream's positions are record counts ("" = 0); other backends' are opaque.
std::optional<std::int64_t> position_number(const std::string& token) {
  if (token.empty()) return 0;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

}  // namespace

TimedHandler::TimedHandler(functions::Handler& inner, platform::MetricsRegistry& registry)
    : inner_(inner),
      duration_(registry.histogram("cartflow_handler_duration_seconds",
                                   "Duration of handler invocations",
                                   {{"function", std::string(inner.name())}})),
      errors_(registry.counter("cartflow_handler_errors_total",
                               "Handler invocations that ended in a function error",
                               {{"function", std::string(inner.name())}})) {}

model::Result<std::string> TimedHandler::invoke(std::string_view event_json,
                                                const functions::InvocationContext& context) {
  const auto start = std::chrono::steady_clock::now();
  auto result = inner_.invoke(event_json, context);
  duration_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!result.ok()) errors_.inc();
  return result;
}

TimedApiHandler::TimedApiHandler(functions::ApiRequestHandler& inner,
                                 platform::MetricsRegistry& registry)
    : inner_(inner),
      duration_(registry.histogram("cartflow_handler_duration_seconds",
                                   "Duration of handler invocations", {{"function", "api"}})) {
  (void)registry.counter("cartflow_handler_errors_total",
                         "Handler invocations that ended in a function error",
                         {{"function", "api"}});
}

functions::ApiResponse TimedApiHandler::serve(const functions::ApiRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  functions::ApiResponse response = inner_.serve(request);
  duration_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return response;
}

StreamLag stream_lag(System& system, const platform::StreamMapping& mapping) {
  StreamLag lag;
  auto latest = system.change_stream().latest();
  if (!latest.ok()) return lag;
  const ports::StreamPosition checkpoint = mapping.checkpoint();
  const auto newest = position_number(latest->token);
  const auto done = position_number(checkpoint.token);
  lag.records = newest && done ? std::max<std::int64_t>(0, *newest - *done) : -1;
  if (lag.records != 0) {
    auto next = system.change_stream().read(checkpoint, 1, std::chrono::milliseconds(0));
    if (next.ok() && !next->records.empty()) {
      lag.oldest_age_ms =
          std::max<std::int64_t>(0, system.clock().now_ms() - next->records[0].approximate_creation_ms);
    }
  }
  return lag;
}

PipelineMetrics::PipelineMetrics(platform::MetricsRegistry& registry, System& system,
                                 embedded::Database& database,
                                 StreamSource stream,
                                 const platform::QueueMapping& queue) {
  auto add = [&](const char* name, const char* help, platform::Labels labels,
                 std::function<double()> read) {
    registrations_.push_back(registry.gauge_callback(name, help, labels, std::move(read)));
  };
  // Running totals kept by the mappings and the store's writer: Prometheus counters.
  auto add_total = [&](const char* name, const char* help, platform::Labels labels,
                       std::function<double()> read) {
    registrations_.push_back(registry.counter_callback(name, help, labels, std::move(read)));
  };
  struct Source {
    const char* mapping;
    std::function<platform::MappingStatsSnapshot()> stats;
  };
  const Source sources[] = {
      {"OrderStream", stream.stats},
      {"OrderQueue", [&queue] { return queue.stats(); }},
  };
  for (const Source& s : sources) {
    auto stats = s.stats;
    const platform::Labels labels = {{"mapping", s.mapping}};
    add_total("cartflow_mapping_batches_total", "Function invocations by an event source mapping",
              labels, [stats] { return static_cast<double>(stats().batches); });
    add_total("cartflow_mapping_records_total", "Records delivered by an event source mapping",
              labels, [stats] { return static_cast<double>(stats().records); });
    add_total("cartflow_mapping_filtered_total", "Records dropped by the mapping's filter criteria",
              labels, [stats] { return static_cast<double>(stats().filtered); });
    add_total("cartflow_mapping_errors_total",
              "Failed invocations (function errors, partial failures)", labels,
              [stats] { return static_cast<double>(stats().errors); });
    add_total("cartflow_mapping_retries_total", "Batches retried or messages left to return",
              labels, [stats] { return static_cast<double>(stats().retries); });
    add_total("cartflow_mapping_on_failure_records_total",
              "Records sent to the on-failure destination", labels,
              [stats] { return static_cast<double>(stats().on_failure_records); });
  }
  struct QueueRef {
    const char* name;
    ports::Queue* queue;
  };
  const QueueRef queues[] = {{"orders", &system.queue()},
                             {"dead_letter", &system.dead_letter_queue()},
                             {"stream_failures", &system.stream_failure_queue()}};
  for (const QueueRef& q : queues) {
    ports::Queue* port = q.queue;
    add("cartflow_queue_visible_messages", "Messages ready to receive",
        {{"queue", port->name()}, {"role", q.name}}, [port] {
          auto c = port->counts();
          return c.ok() ? static_cast<double>(c->visible) : -1.0;
        });
    add("cartflow_queue_in_flight_messages", "Messages received and not yet deleted",
        {{"queue", port->name()}, {"role", q.name}}, [port] {
          auto c = port->counts();
          return c.ok() ? static_cast<double>(c->in_flight) : -1.0;
        });
  }
  embedded::Database* db = &database;
  add_total("cartflow_database_writes_total",
            "Writes committed by the embedded store's writer thread", {},
            [db] { return static_cast<double>(db->stats().writes); });
  add_total("cartflow_database_groups_total",
            "Group commits (one fsync each when durable); writes/groups is the batching", {},
            [db] { return static_cast<double>(db->stats().groups); });
  add_total("cartflow_database_deferred_groups_total",
            "Group commits of deferred writes only (queue receive/delete, checkpoints): no fsync",
            {}, [db] { return static_cast<double>(db->stats().deferred_groups); });
  functions::Metrics* counts = &system.function_metrics();
  add_total("cartflow_cart_items_ordered_total",
            "Cart items update-cart-status marked ORDERED (redeliveries not counted again)", {},
            [counts] { return static_cast<double>(counts->value(functions::kCartItemsOrdered)); });
  add("cartflow_stream_lag_records", "Stream records after the mapping's checkpoint",
      {{"mapping", "OrderStream"}},
      [lag = stream.lag] { return static_cast<double>(lag().records); });
  add("cartflow_stream_lag_seconds", "Age of the oldest stream record not yet resolved",
      {{"mapping", "OrderStream"}},
      [lag = stream.lag] { return static_cast<double>(lag().oldest_age_ms) / 1000.0; });
  if (stream.leases_held) {
    add("cartflow_stream_leases_held", "Shard leases of the stream this instance holds",
        {{"mapping", "OrderStream"}}, stream.leases_held);
  }
}

}  // namespace cartflow::app
