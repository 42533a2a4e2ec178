// SPDX-License-Identifier: Apache-2.0
#pragma once

// The pipeline of `cartflow serve` (roles `pipeline` and `all`): the change stream mapping
// invoking process-cart-products and the queue mapping invoking update-cart-status, with the
// settings of deploy/template.yaml, their gauges on /metrics, and the HTTP face of an instance
// that runs only the pipeline.

#include <memory>

#include "embedded/database.h"
#include "functions/logging.h"
#include "model/result.h"
#include "platform/http_server.h"
#include "platform/metrics.h"
#include "platform/queue_mapping.h"
#include "platform/sqlite_checkpoint_store.h"
#include "platform/stream_mapping.h"
#include "serve_metrics.h"
#include "system.h"

namespace cartflow::app {

class ServePipeline {
 public:
  // The two mappings over `system`, the stream checkpoint in `state` (the whole store when
  // embedded; the local --db with --backend aws, where the checkpoint's id names the stream).
  // Nothing runs until start(). Fails with the mappings' kInvalidArgument (bad settings) or the
  // checkpoint store's errors. Everything passed in must outlive the object.
  static model::Result<std::unique_ptr<ServePipeline>> open(System& system,
                                                            embedded::Database& state,
                                                            platform::MetricsRegistry& registry,
                                                            const functions::Logger& logger);
  ~ServePipeline();  // stop()

  // What open() does first, alone, for an instance without the pipeline on the embedded store
  // (`serve --role api`): saves the stream mapping's starting position when the file has none,
  // so that a pipeline started later on the same file delivers the orders taken meanwhile
  // instead of starting at LATEST after them. Reads nothing else; fails as open() does.
  static model::Status anchor_checkpoint(System& system, embedded::Database& state,
                                         const functions::Logger& logger);

  // Starts the mappings' polling threads.
  void start();
  // Lets each mapping finish its in-flight batch, then stops it. Safe to call more than once.
  void stop();

 private:
  ServePipeline(System& system, embedded::Database& state, platform::MetricsRegistry& registry);

  TimedHandler process_cart_products_;
  TimedHandler update_cart_status_;
  platform::SqliteCheckpointStore checkpoints_;
  std::unique_ptr<platform::StreamMapping> stream_mapping_;
  std::unique_ptr<platform::QueueMapping> queue_mapping_;
  std::unique_ptr<PipelineMetrics> metrics_;
};

// What an instance without the API (`serve --role pipeline`) answers over HTTP: GET /health
// 200 {"status":"ok","role":"pipeline"}, GET /metrics the registry in Prometheus text format, and
// 404 {"message":"Not Found: ..."} for anything else (API routes, pages). Thread-safe; the
// registry must outlive the handler.
platform::HttpHandler pipeline_http_handler(const platform::MetricsRegistry& registry);

}  // namespace cartflow::app
