// SPDX-License-Identifier: Apache-2.0
#include "aws_system.h"

#include <cstdlib>
#include <iostream>

#include "functions/api_table.h"
#include "logger_env.h"

namespace cartflow::app {

namespace {

const aws::JsonProtocol kDynamoDbProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"};

// A precondition broken by the caller (a pipeline part of a system opened without it).
[[noreturn]] void missing_part(const char* what) {
  std::cerr << "cartflow: internal error: " << what
            << " used on an AWS system opened without the pipeline\n";
  std::abort();
}

// The queue named (or addressed) by `name_or_url`, created with `attributes` when
// `create_missing` and it does not exist.
model::Result<std::unique_ptr<aws::SqsQueue>> open_queue(
    aws::JsonClient& sqs, const std::string& name_or_url, bool create_missing,
    const std::map<std::string, std::string>& attributes) {
  auto opened = aws::SqsQueue::open(sqs, name_or_url);
  if (opened.ok()) return opened;
  if (create_missing && opened.error().code == model::ErrorCode::kNotFound) {
    auto url = aws::create_queue(sqs, name_or_url, attributes);
    if (url.ok()) return std::make_unique<aws::SqsQueue>(sqs, *url);
    opened = std::move(url).error();
  }
  return model::Error{opened.error().code, "queue " + name_or_url + ": " + opened.error().message};
}

}  // namespace

AwsOptions aws_options_from_env(AwsOptions options) {
  if (auto name = options.env("TABLE_NAME")) options.table_name = *name;
  if (auto queue = options.env("UPDATE_CART_PRODUCT_SQS")) options.queue = *queue;
  return options;
}

model::Result<std::unique_ptr<AwsSystem>> AwsSystem::open(const AwsOptions& options) {
  std::unique_ptr<AwsSystem> system(new AwsSystem());
  auto settings = options.settings ? model::Result<MappingSettings>(*options.settings)
                                   : parse_mapping_settings(mapping_settings_json());
  if (!settings.ok()) return std::move(settings).error();
  system->settings_ = std::move(settings.value());
  auto config = aws::load_config(options.env);
  if (!config.ok()) return std::move(config).error();
  system->config_ = std::move(config.value());
  system->http_ = std::make_unique<aws::HttpClient>();
  system->credentials_ =
      std::make_unique<aws::DefaultCredentialsProvider>(*system->http_, options.env);
  const aws::AwsConfig& c = system->config_;
  system->dynamodb_ = std::make_unique<aws::JsonClient>(
      *system->http_, *system->credentials_, c.endpoint(aws::Service::kDynamoDb), kDynamoDbProtocol);
  system->sqs_ = std::make_unique<aws::JsonClient>(
      *system->http_, *system->credentials_, c.endpoint(aws::Service::kSqs), aws::sqs_protocol());

  if (auto opened = system->open_resources(options); !opened.ok()) return opened.error();
  if (options.with_pipeline) {
    if (auto opened = system->open_pipeline(options); !opened.ok()) return opened.error();
  }

  system->logger_ = logger_from_env(options.env);
  system->handlers_ = std::make_unique<Handlers>(*system->table_, *system->queue_, system->clock_,
                                                 *system->logger_, system->metrics_);
  return system;
}

model::Status AwsSystem::open_resources(const AwsOptions& options) {
  const ports::TableDescription description = functions::table_description(options.table_name);
  if (!options.with_pipeline) {
    // A Lambda function: no call now (its role may allow nothing else), but the connections
    // are opened ahead, while init has the full CPU. A failed warm-up is not fatal: the first
    // call tries again and reports.
    table_ = std::make_unique<aws::DynamoDbTable>(*dynamodb_, description);
    const bool is_url = options.queue.starts_with("http://") || options.queue.starts_with("https://");
    if (is_url) {
      queue_ = std::make_unique<aws::SqsQueue>(*sqs_, options.queue);
    } else {
      auto queue = aws::SqsQueue::open(*sqs_, options.queue);
      if (!queue.ok()) return std::move(queue).error();
      queue_ = std::move(queue.value());
    }
    (void)http_->warm_up(dynamodb_->endpoint().url);
    (void)http_->warm_up(sqs_->endpoint().url);
    return model::Status();
  }
  auto table = aws::DynamoDbTable::open(*dynamodb_, options.table_name);
  if (!table.ok() && options.create_missing && table.error().code == model::ErrorCode::kNotFound) {
    if (auto created = aws::create_table(*dynamodb_, description); !created.ok()) return created;
    table = aws::DynamoDbTable::open(*dynamodb_, options.table_name);
  }
  if (!table.ok()) {
    return model::Error{table.error().code,
                        "table " + options.table_name + ": " + table.error().message};
  }
  table_ = std::move(table.value());

  const MappingSettings& s = settings_;
  auto dlq = open_queue(*sqs_, options.dead_letter_queue, options.create_missing,
                        {{"MessageRetentionPeriod", std::to_string(s.dead_letter_retention_seconds)}});
  if (!dlq.ok()) return std::move(dlq).error();
  dead_letter_queue_ = std::move(dlq.value());

  std::map<std::string, std::string> queue_attributes = {
      {"VisibilityTimeout", std::to_string(s.queue_visibility_timeout_seconds)},
      {"MessageRetentionPeriod", std::to_string(s.queue_retention_seconds)}};
  if (options.create_missing) {
    auto dlq_arn = aws::queue_arn(*sqs_, dead_letter_queue_->url());
    if (!dlq_arn.ok()) return std::move(dlq_arn).error();
    queue_attributes["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"" + *dlq_arn +
                                        "\",\"maxReceiveCount\":" +
                                        std::to_string(s.max_receive_count) + "}";
  }
  auto queue = open_queue(*sqs_, options.queue, options.create_missing, queue_attributes);
  if (!queue.ok()) return std::move(queue).error();
  queue_ = std::move(queue.value());
  return model::Status();
}

model::Status AwsSystem::open_pipeline(const AwsOptions& options) {
  streams_ = std::make_unique<aws::JsonClient>(*http_, *credentials_,
                                               config_.endpoint(aws::Service::kDynamoDbStreams),
                                               aws::dynamodb_streams_protocol());
  auto arn = aws::latest_stream_arn(*dynamodb_, options.table_name);
  if (!arn.ok()) return std::move(arn).error();
  stream_arn_ = *arn;
  change_stream_ = std::make_unique<aws::DynamoDbChangeStream>(*streams_, *arn,
                                                               table_->describe().stream_view);
  auto failures = open_queue(
      *sqs_, options.stream_failure_queue, options.create_missing,
      {{"MessageRetentionPeriod", std::to_string(settings_.dead_letter_retention_seconds)}});
  if (!failures.ok()) return std::move(failures).error();
  stream_failure_queue_ = std::move(failures.value());
  return model::Status();
}

AwsSystem::~AwsSystem() = default;

aws::DynamoDbChangeStream& AwsSystem::change_stream() {
  if (!change_stream_) missing_part("the change stream");
  return *change_stream_;
}

aws::SqsQueue& AwsSystem::dead_letter_queue() {
  if (!dead_letter_queue_) missing_part("the dead-letter queue");
  return *dead_letter_queue_;
}

aws::SqsQueue& AwsSystem::stream_failure_queue() {
  if (!stream_failure_queue_) missing_part("the stream's on-failure queue");
  return *stream_failure_queue_;
}

}  // namespace cartflow::app
