// SPDX-License-Identifier: Apache-2.0
#pragma once

// Settings of the local event source mappings, mirroring AWS::Lambda::EventSourceMapping (SAM
// `Events` of type DynamoDB and SQS) so one template configures both AWS and the local platform.
// Defaults and ranges are Lambda's; the few local-only knobs (backoff, poll wait) exist so tests
// run fast. Plain data.

#include <chrono>
#include <string>
#include <vector>

#include "model/result.h"
#include "ports/queue.h"

namespace cartflow::platform {

enum class StartingPosition { kLatest, kTrimHorizon };

// Parses "LATEST" / "TRIM_HORIZON"; kInvalidArgument otherwise.
model::Result<StartingPosition> parse_starting_position(const std::string& text);

struct StreamMappingConfig {
  // Identity: names the durable checkpoint and appears in on-failure records.
  std::string mapping_id = "stream-mapping";
  std::string function_arn = "arn:aws:lambda:us-east-1:000000000000:function:process-cart-products";
  std::string event_source_arn =
      "arn:aws:dynamodb:us-east-1:000000000000:table/cartflow/stream/local";
  std::string aws_region = "us-east-1";
  std::string shard_id = "shardId-00000000000000000000-local";

  int batch_size = 100;                       // BatchSize 1..10000
  int maximum_batching_window_seconds = 0;    // MaximumBatchingWindowInSeconds 0..300
  StartingPosition starting_position = StartingPosition::kLatest;
  std::vector<std::string> filter_patterns;   // FilterCriteria.Filters[].Pattern, <= 5
  bool bisect_batch_on_function_error = false;
  int maximum_retry_attempts = -1;            // -1 (infinite) or 0..10000
  int maximum_record_age_seconds = -1;        // -1 (infinite) or 60..604800
  bool report_batch_item_failures = false;    // FunctionResponseTypes [ReportBatchItemFailures]
  // DestinationConfig.OnFailure: not owned, must outlive the mapping; nullptr = discard.
  ports::Queue* on_failure = nullptr;

  // Local: first retry delay, doubled per failed attempt up to retry_backoff_max.
  std::chrono::milliseconds retry_backoff_base{500};
  std::chrono::milliseconds retry_backoff_max{30'000};
  // Local: how long one read waits for records (bounds stop() latency when idle).
  std::chrono::milliseconds poll_wait{500};
};

struct QueueMappingConfig {
  std::string function_arn = "arn:aws:lambda:us-east-1:000000000000:function:update-cart-status";
  std::string event_source_arn = "arn:aws:sqs:us-east-1:000000000000:cartflow-queue";
  std::string aws_region = "us-east-1";
  std::string sender_id = "AIDAIENQZJOLO23YVJ4VO";

  int batch_size = 10;                        // BatchSize 1..10 (no larger batches locally)
  int maximum_batching_window_seconds = 0;    // MaximumBatchingWindowInSeconds 0..300
  bool report_batch_item_failures = false;    // FunctionResponseTypes [ReportBatchItemFailures]
  int maximum_concurrency = 2;                // ScalingConfig.MaximumConcurrency 2..1000 (pollers)

  // Local: long-poll wait of one receive, 0..20 s (bounds stop() latency when idle).
  std::chrono::milliseconds poll_wait{1000};
};

// Checks Lambda's ranges; kInvalidArgument naming the property otherwise. Also parses the
// filter patterns (an invalid pattern is reported here, as CreateEventSourceMapping would).
model::Status validate(const StreamMappingConfig& config);
model::Status validate(const QueueMappingConfig& config);

}  // namespace cartflow::platform
