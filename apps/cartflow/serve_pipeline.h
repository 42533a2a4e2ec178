// SPDX-License-Identifier: Apache-2.0
#pragma once

// The pipeline of `cartflow serve` (roles `pipeline` and `all`): the change stream mapping
// invoking process-cart-products and the queue mapping invoking update-cart-status, with the
// settings of deploy/template.yaml, their gauges on /metrics, and the HTTP face of an instance
// that runs only the pipeline.

#include <chrono>
#include <memory>
#include <string>

#include "embedded/database.h"
#include "functions/logging.h"
#include "model/result.h"
#include "platform/http_server.h"
#include "platform/lease_coordinator.h"
#include "platform/lease_table.h"
#include "platform/metrics.h"
#include "platform/queue_mapping.h"
#include "platform/sqlite_checkpoint_store.h"
#include "platform/stream_mapping.h"
#include "serve_metrics.h"
#include "system.h"

namespace cartflow::app {

// How a pipeline on --backend aws shares the stream with the other instances.
struct PipelineOptions {
  // The lease duration (serve --lease-duration): how long a dead instance's shards wait before
  // another instance takes them over.
  std::chrono::milliseconds lease_duration{10'000};
  // This instance's lease owner id; empty: "<hostname>:<pid>:<8 random hex digits>".
  std::string lease_owner;
};

class ServePipeline {
 public:
  // The two mappings over `system`. Embedded: one stream mapping, its checkpoint in `state` (the
  // store itself). --backend aws: the stream's shards split with the other instances by leases in
  // the lease table (platform/lease_coordinator.h), each shard's checkpoint in its lease; the
  // leases of shards without one are created here (the first ones at LATEST: now).
  // Nothing runs until start(). Fails with the mappings' kInvalidArgument (bad settings) or the
  // checkpoint store's errors. Everything passed in must outlive the object.
  static model::Result<std::unique_ptr<ServePipeline>> open(System& system,
                                                            embedded::Database& state,
                                                            platform::MetricsRegistry& registry,
                                                            const functions::Logger& logger,
                                                            const PipelineOptions& options = {});
  ~ServePipeline();  // stop()

  // What open() does first, alone, for an instance without the pipeline on the embedded store
  // (`serve --role api`): saves the stream mapping's starting position when the file has none,
  // so that a pipeline started later on the same file delivers the orders taken meanwhile
  // instead of starting at LATEST after them. Reads nothing else; fails as open() does.
  static model::Status anchor_checkpoint(System& system, embedded::Database& state,
                                         const functions::Logger& logger);

  // Starts the mappings' polling threads (and the lease coordinator).
  void start();
  // Lets each mapping finish its in-flight batch, then stops it; releases the leases held.
  // Safe to call more than once.
  void stop();

 private:
  ServePipeline(System& system, embedded::Database& state, platform::MetricsRegistry& registry);
  model::Status open_leases(System& system, const functions::Logger& logger,
                            const PipelineOptions& options);
  StreamSource stream_source(System& system) const;

  TimedHandler process_cart_products_;
  TimedHandler update_cart_status_;
  platform::SqliteCheckpointStore checkpoints_;
  std::unique_ptr<platform::StreamMapping> stream_mapping_;  // embedded
  std::unique_ptr<platform::LeaseTable> leases_;              // aws
  std::unique_ptr<platform::LeaseCoordinator> coordinator_;   // aws
  std::unique_ptr<platform::QueueMapping> queue_mapping_;
  std::unique_ptr<PipelineMetrics> metrics_;
};

// What an instance without the API (`serve --role pipeline`) answers over HTTP: GET /health
// 200 {"status":"ok","role":"pipeline"}, GET /metrics the registry in Prometheus text format, and
// 404 {"message":"Not Found: ..."} for anything else (API routes, pages). Thread-safe; the
// registry must outlive the handler.
platform::HttpHandler pipeline_http_handler(const platform::MetricsRegistry& registry);

}  // namespace cartflow::app
