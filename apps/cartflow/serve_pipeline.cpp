// SPDX-License-Identifier: Apache-2.0
#include "serve_pipeline.h"

#include "aws_system.h"

namespace cartflow::app {

namespace {

platform::StreamMappingConfig stream_mapping_config(System& system) {
  platform::StreamMappingConfig config = system.settings().stream;
  config.on_failure = &system.stream_failure_queue();
  if (const auto* aws = dynamic_cast<const AwsSystem*>(&system)) {
    // The checkpoint belongs to this stream: a new table (or a switch of backend on the same
    // --db) starts afresh instead of reading another stream's position.
    config.mapping_id += "@" + aws->stream_arn();
    config.event_source_arn = aws->stream_arn();
    config.aws_region = aws->region();
  }
  return config;
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
    const functions::Logger& logger) {
  std::unique_ptr<ServePipeline> pipeline(new ServePipeline(system, state, registry));
  auto stream_mapping =
      platform::StreamMapping::create(stream_mapping_config(system), system.change_stream(),
                                      pipeline->checkpoints_,
                                      pipeline->process_cart_products_, system.clock(), &logger);
  if (!stream_mapping.ok()) return std::move(stream_mapping).error();
  pipeline->stream_mapping_ = std::move(stream_mapping.value());
  auto queue_mapping = platform::QueueMapping::create(system.settings().queue, system.queue(),
                                                     pipeline->update_cart_status_, &logger);
  if (!queue_mapping.ok()) return std::move(queue_mapping).error();
  pipeline->queue_mapping_ = std::move(queue_mapping.value());
  pipeline->metrics_ = std::make_unique<PipelineMetrics>(
      registry, system, state, *pipeline->stream_mapping_, *pipeline->queue_mapping_);
  return pipeline;
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
  stream_mapping_->start();
  queue_mapping_->start();
}

void ServePipeline::stop() {
  if (stream_mapping_) stream_mapping_->stop();
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
