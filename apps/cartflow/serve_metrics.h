// SPDX-License-Identifier: Apache-2.0
#pragma once

// PipelineMetrics: the pipeline's state as Prometheus gauges for `GET /metrics`: mapping
// batches, records, errors and retries, queue depth (visible, in flight), DLQ and on-failure
// depth, and stream lag (records behind, age of the oldest unprocessed record in ms). Values are
// read when /metrics is rendered. Everything passed in must outlive the object.

#include <vector>

#include "embedded_system.h"
#include "platform/metrics.h"
#include "platform/queue_mapping.h"
#include "platform/stream_mapping.h"

namespace cartflow::app {

// Stream lag of a mapping: records after its checkpoint, and the age of the first of them.
struct StreamLag {
  std::int64_t records = 0;
  std::int64_t oldest_age_ms = 0;
};
StreamLag stream_lag(EmbeddedSystem& system, const platform::StreamMapping& mapping);

class PipelineMetrics {
 public:
  PipelineMetrics(platform::MetricsRegistry& registry, EmbeddedSystem& system,
                  const platform::StreamMapping& stream, const platform::QueueMapping& queue);

 private:
  std::vector<platform::CallbackRegistration> registrations_;
};

}  // namespace cartflow::app
