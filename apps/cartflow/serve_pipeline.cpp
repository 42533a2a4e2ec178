// SPDX-License-Identifier: Apache-2.0
#include "serve_pipeline.h"

#include <unistd.h>

#include <thread>

#include "aws_system.h"
#include "util/random.h"

namespace cartflow::app {

namespace {

platform::StreamMappingConfig stream_mapping_config(System& system) {
  platform::StreamMappingConfig config = system.settings().stream;
  config.on_failure = &system.stream_failure_queue();
  if (const auto* aws = dynamic_cast<const AwsSystem*>(&system)) {
    // Names this stream's mapping; its checkpoints are in the lease table, under the stream's
    // ARN (a new table's stream starts afresh).
    config.mapping_id += "@" + aws->stream_arn();
    config.event_source_arn = aws->stream_arn();
    config.aws_region = aws->region();
  }
  return config;
}

std::string default_lease_owner() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + util::random_hex(4);
}

}  // namespace

ServePipeline::ServePipeline(System& system, embedded::Database& state,
                             platform::MetricsRegistry& registry)
    : process_cart_products_(*system.handler("process-cart-products"), registry),
      update_cart_status_(*system.handler("update-cart-status"), registry),
      checkpoints_(state, system.clock()) {}

ServePipeline::~ServePipeline() { stop(); }

model::Result<std::unique_ptr<ServePipeline>> ServePipeline::open(
    System& system, embedded::Database& state, platform::MetricsRegistry& registry,
    const functions::Logger& logger, const PipelineOptions& options) {
  std::unique_ptr<ServePipeline> pipeline(new ServePipeline(system, state, registry));
  if (dynamic_cast<AwsSystem*>(&system) != nullptr) {
    if (auto s = pipeline->open_leases(system, logger, options); !s.ok()) return std::move(s).error();
  } else {
    auto stream_mapping =
        platform::StreamMapping::create(stream_mapping_config(system), system.change_stream(),
                                        pipeline->checkpoints_, pipeline->process_cart_products_,
                                        system.clock(), &logger);
    if (!stream_mapping.ok()) return std::move(stream_mapping).error();
    pipeline->stream_mapping_ = std::move(stream_mapping.value());
  }
  auto queue_mapping = platform::QueueMapping::create(system.settings().queue, system.queue(),
                                                     pipeline->update_cart_status_, &logger);
  if (!queue_mapping.ok()) return std::move(queue_mapping).error();
  pipeline->queue_mapping_ = std::move(queue_mapping.value());
  pipeline->metrics_ = std::make_unique<PipelineMetrics>(
      registry, system, state, pipeline->stream_source(system), *pipeline->queue_mapping_);
  return pipeline;
}

model::Status ServePipeline::open_leases(System& system, const functions::Logger& logger,
                                         const PipelineOptions& options) {
  auto& aws = dynamic_cast<AwsSystem&>(system);
  leases_ = std::make_unique<platform::LeaseTable>(aws.leases_table(), aws.stream_arn());
  platform::LeaseCoordinatorOptions lease_options;
  lease_options.owner = options.lease_owner.empty() ? default_lease_owner() : options.lease_owner;
  lease_options.lease_duration = options.lease_duration;
  lease_options.shard_sync_interval = std::max(options.lease_duration, std::chrono::milliseconds(1000));
  auto coordinator = platform::LeaseCoordinator::create(
      std::move(lease_options), stream_mapping_config(system), aws.sharded_stream(), *leases_,
      process_cart_products_, system.clock(), logger);
  if (!coordinator.ok()) return std::move(coordinator).error();
  coordinator_ = std::move(coordinator.value());
  // The first leases start at LATEST now, before the server answers: no order it acknowledges is
  // skipped. DynamoDB Local may refuse a new stream's first reads for a moment: a few tries.
  model::Status prepared;
  for (int attempt = 0; attempt < 5; ++attempt) {
    prepared = coordinator_->prepare();
    if (prepared.ok() || prepared.error().code != model::ErrorCode::kNotFound) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
  }
  return prepared;
}

StreamSource ServePipeline::stream_source(System& system) const {
  if (stream_mapping_) {
    const platform::StreamMapping* mapping = stream_mapping_.get();
    return {[mapping] { return mapping->stats(); },
            [&system, mapping] { return stream_lag(system, *mapping); }};
  }
  const platform::LeaseCoordinator* coordinator = coordinator_.get();
  return {[coordinator] { return coordinator->stats(); },
          [&system, coordinator] {
            // Shard positions are opaque: the count is unknown; the age is the oldest pending
            // record of the shards this instance holds.
            StreamLag lag{-1, 0};
            if (auto oldest = coordinator->oldest_pending_ms()) {
              lag.oldest_age_ms = std::max<std::int64_t>(0, system.clock().now_ms() - *oldest);
            }
            return lag;
          },
          [coordinator] { return static_cast<double>(coordinator->held().size()); }};
}

model::Status ServePipeline::anchor_checkpoint(System& system, embedded::Database& state,
                                               const functions::Logger& logger) {
  platform::SqliteCheckpointStore checkpoints(state, system.clock());
  // Creating the mapping saves its starting position when there is none; it never starts.
  auto mapping = platform::StreamMapping::create(stream_mapping_config(system),
                                                 system.change_stream(), checkpoints,
                                                 *system.handler("process-cart-products"),
                                                 system.clock(), &logger);
  if (!mapping.ok()) return std::move(mapping).error();
  return model::Status();
}

void ServePipeline::start() {
  if (stream_mapping_) stream_mapping_->start();
  if (coordinator_) coordinator_->start();
  queue_mapping_->start();
}

void ServePipeline::stop() {
  if (stream_mapping_) stream_mapping_->stop();
  if (coordinator_) coordinator_->stop();
  if (queue_mapping_) queue_mapping_->stop();
}

platform::HttpHandler pipeline_http_handler(const platform::MetricsRegistry& registry) {
  return [&registry](const platform::HttpRequest& request) {
    const std::string_view target = request.target;
    const std::string_view path = target.substr(0, target.find('?'));
    if (request.method == "GET" && path == "/metrics") {
      platform::HttpResponse r;
      r.headers.emplace_back("Content-Type", platform::MetricsRegistry::kContentType);
      r.body = registry.render();
      return r;
    }
    if (request.method == "GET" && path == "/health") {
      return platform::HttpResponse::json(200, R"({"status":"ok","role":"pipeline"})");
    }
    return platform::HttpResponse::json(
        404, R"({"message":"Not Found: this instance runs the pipeline only (serve --role )"
             R"(pipeline); the API is served by instances with --role api or all"})");
  };
}

}  // namespace cartflow::app
