// SPDX-License-Identifier: Apache-2.0
#include "platform/mapping_config.h"

#include <string>

#include "events/filter_pattern.h"

namespace cartflow::platform {

using model::Error;
using model::Result;
using model::Status;

namespace {

Status out_of_range(const char* property, int value, const char* range) {
  return Error::invalid(std::string(property) + " " + std::to_string(value) + " is out of range " +
                        range);
}

}  // namespace

Result<StartingPosition> parse_starting_position(const std::string& text) {
  if (text == "LATEST") return StartingPosition::kLatest;
  if (text == "TRIM_HORIZON") return StartingPosition::kTrimHorizon;
  return Error::invalid("StartingPosition must be LATEST or TRIM_HORIZON, not \"" + text + "\"");
}

Status validate(const StreamMappingConfig& c) {
  if (c.batch_size < 1 || c.batch_size > 10'000) {
    return out_of_range("BatchSize", c.batch_size, "1..10000");
  }
  if (c.maximum_batching_window_seconds < 0 || c.maximum_batching_window_seconds > 300) {
    return out_of_range("MaximumBatchingWindowInSeconds", c.maximum_batching_window_seconds,
                        "0..300");
  }
  if (c.maximum_retry_attempts < -1 || c.maximum_retry_attempts > 10'000) {
    return out_of_range("MaximumRetryAttempts", c.maximum_retry_attempts, "-1..10000");
  }
  if (c.maximum_record_age_seconds != -1 &&
      (c.maximum_record_age_seconds < 60 || c.maximum_record_age_seconds > 604'800)) {
    return out_of_range("MaximumRecordAgeInSeconds", c.maximum_record_age_seconds,
                        "-1 or 60..604800");
  }
  if (c.mapping_id.empty()) return Error::invalid("mapping_id must not be empty");
  if (c.retry_backoff_base.count() < 0 || c.retry_backoff_max < c.retry_backoff_base) {
    return Error::invalid("retry backoff must satisfy 0 <= base <= max");
  }
  if (auto f = events::FilterCriteria::parse(c.filter_patterns); !f) {
    return Error::invalid("FilterCriteria: " + f.error().message);
  }
  return {};
}

Status validate(const QueueMappingConfig& c) {
  if (c.batch_size < 1 || c.batch_size > 10) return out_of_range("BatchSize", c.batch_size, "1..10");
  if (c.maximum_batching_window_seconds < 0 || c.maximum_batching_window_seconds > 300) {
    return out_of_range("MaximumBatchingWindowInSeconds", c.maximum_batching_window_seconds,
                        "0..300");
  }
  if (c.maximum_concurrency < 2 || c.maximum_concurrency > 1000) {
    return out_of_range("ScalingConfig.MaximumConcurrency", c.maximum_concurrency, "2..1000");
  }
  if (c.poll_wait.count() < 0 || c.poll_wait > std::chrono::seconds(20)) {
    return Error::invalid("poll_wait must be within 0..20 s (SQS WaitTimeSeconds)");
  }
  return {};
}

}  // namespace cartflow::platform
