// SPDX-License-Identifier: Apache-2.0
#include "aws_system.h"

#include <cstdlib>
#include <iostream>

#include "functions/api_table.h"
#include "platform/lease_table.h"
#include "platform/table_api_keys.h"
#include "logger_env.h"

namespace cartflow::app {

namespace {

const aws::JsonProtocol kDynamoDbProtocol{"DynamoDB_20120810", "application/x-amz-json-1.0"};

// A precondition broken by the caller (a pipeline part of a system opened without it).
[[noreturn]] void missing_part(const char* what) {
  std::cerr << "cartflow: internal error: " << what
            << " used on an AWS system opened without it\n";
  std::abort();
}

// How each resource can be given, for the errors that name a missing one.
constexpr const char* kPassTable =
    "give it with --table NAME|ARN, TABLE_NAME, or --stack-outputs FILE (output TableName)";
constexpr const char* kPassQueue =
    "give it with --queue NAME|URL|ARN, UPDATE_CART_PRODUCT_SQS, or --stack-outputs FILE "
    "(output QueueUrl)";
constexpr const char* kPassDlq =
    "give it with --dlq NAME|URL|ARN or UPDATE_CART_PRODUCT_DLQ, or set the orders queue's "
    "RedrivePolicy";
constexpr const char* kPassFailureQueue =
    "give it with --stream-failure-queue NAME|URL|ARN, ORDER_STREAM_FAILURE_SQS, or "
    "--stack-outputs FILE (output StreamFailureQueueUrl)";
constexpr const char* kPassApiKeysTable =
    "give it with --keys-table NAME|ARN, CARTFLOW_API_KEYS_TABLE, or --stack-outputs FILE "
    "(output ApiKeysTableName); --create-missing creates it";
constexpr const char* kPassLeasesTable =
    "give it with --leases-table NAME|ARN, CARTFLOW_LEASES_TABLE, or --stack-outputs FILE "
    "(output LeasesTableName); --create-missing creates it";
constexpr const char* kDefaultDeadLetterQueue = "UpdateCartProductsDLQ";
constexpr const char* kDefaultStreamFailureQueue = "OrderStreamFailureQueue";

model::Error named(const std::string& what, const model::Error& error, const char* how) {
  std::string message = what + ": " + error.message;
  if (error.code == model::ErrorCode::kNotFound) message += std::string("; ") + how;
  return model::Error{error.code, std::move(message)};
}

// The name to create a queue under when it is given by URL or ARN: its last segment.
std::string queue_name_of(const std::string& queue) {
  if (auto arn = aws::parse_arn(queue)) return arn->resource;
  return queue.substr(queue.rfind('/') + 1);
}

// The queue given by name, URL or ARN, created with `attributes` when `create_missing` and it
// does not exist. Errors name it as `what` and say how to pass it.
model::Result<std::unique_ptr<aws::SqsQueue>> open_queue(
    aws::JsonClient& sqs, const std::string& what, const std::string& queue, const char* how,
    bool create_missing, const std::map<std::string, std::string>& attributes) {
  auto opened = aws::SqsQueue::open(sqs, queue);
  if (opened.ok()) return opened;
  if (create_missing && opened.error().code == model::ErrorCode::kNotFound) {
    auto url = aws::create_queue(sqs, queue_name_of(queue), attributes);
    if (url.ok()) return std::make_unique<aws::SqsQueue>(sqs, *url);
    opened = std::move(url).error();
  }
  return named(what + " " + queue, opened.error(), how);
}

// A table given by name or ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME): its name.
model::Result<std::string> table_name_of(const std::string& table) {
  auto arn = aws::parse_arn(table);
  if (!arn) return table;
  if (arn->service != "dynamodb" || !arn->resource.starts_with("table/") ||
      arn->resource.find('/', 6) != std::string::npos) {
    return model::Error::invalid("table " + table + " is not the ARN of a DynamoDB table; " +
                                 kPassTable);
  }
  return arn->resource.substr(6);
}

}  // namespace

AwsOptions aws_options_from_env(AwsOptions options) {
  if (auto name = options.env("TABLE_NAME")) options.table_name = *name;
  if (auto queue = options.env("UPDATE_CART_PRODUCT_SQS")) options.queue = *queue;
  if (auto dlq = options.env("UPDATE_CART_PRODUCT_DLQ")) options.dead_letter_queue = *dlq;
  if (auto failures = options.env("ORDER_STREAM_FAILURE_SQS")) options.stream_failure_queue = *failures;
  if (auto keys = options.env("CARTFLOW_API_KEYS_TABLE")) options.api_keys_table = *keys;
  if (auto leases = options.env("CARTFLOW_LEASES_TABLE")) options.leases_table = *leases;
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
  auto table_name = table_name_of(options.table_name);
  if (!table_name.ok()) return std::move(table_name).error();
  system->table_name_ = std::move(table_name.value());
  system->http_ = std::make_unique<aws::HttpClient>();
  system->credentials_ =
      std::make_unique<aws::DefaultCredentialsProvider>(*system->http_, options.env);
  const aws::AwsConfig& c = system->config_;
  system->dynamodb_ = std::make_unique<aws::JsonClient>(
      *system->http_, *system->credentials_, c.endpoint(aws::Service::kDynamoDb), kDynamoDbProtocol);
  system->sqs_ = std::make_unique<aws::JsonClient>(
      *system->http_, *system->credentials_, c.endpoint(aws::Service::kSqs), aws::sqs_protocol());

  const AwsParts parts = options.parts;
  if (parts == AwsParts::kLambda) {
    if (auto opened = system->open_for_lambda(options); !opened.ok()) return opened.error();
  }
  const bool server = parts == AwsParts::kAll || parts == AwsParts::kApi;
  if (parts == AwsParts::kTable || server) {
    if (auto opened = system->open_table(options); !opened.ok()) return opened.error();
  }
  if (parts == AwsParts::kQueues || server) {
    if (auto opened = system->open_queues(options); !opened.ok()) return opened.error();
  }
  if (parts == AwsParts::kAll) {
    if (auto opened = system->open_stream(options); !opened.ok()) return opened.error();
  }
  if (server) {
    if (auto opened = system->open_stream_failure_queue(options); !opened.ok()) {
      return opened.error();
    }
  }
  if (parts == AwsParts::kApiKeys || options.api_keys) {
    if (auto opened = system->open_api_keys_table(options); !opened.ok()) return opened.error();
  }
  if (parts == AwsParts::kAll && options.leases) {
    if (auto opened = system->open_leases_table(options); !opened.ok()) return opened.error();
  }

  system->logger_ = logger_from_env(options.env);
  if (system->table_ && system->queue_) {
    system->handlers_ = std::make_unique<Handlers>(*system->table_, *system->queue_,
                                                   system->clock_, *system->logger_,
                                                   system->metrics_);
  }
  return system;
}

model::Status AwsSystem::open_for_lambda(const AwsOptions& options) {
  // No call now (the role may allow nothing else), but the connections are opened ahead, while
  // init has the full CPU. A failed warm-up is not fatal: the first call tries again and reports.
  table_ = std::make_unique<aws::DynamoDbTable>(*dynamodb_,
                                                functions::table_description(table_name_));
  auto queue = aws::SqsQueue::open(*sqs_, options.queue);
  if (!queue.ok()) return named("orders queue " + options.queue, queue.error(), kPassQueue);
  queue_ = std::move(queue.value());
  (void)http_->warm_up(dynamodb_->endpoint().url);
  (void)http_->warm_up(sqs_->endpoint().url);
  return model::Status();
}

model::Status AwsSystem::open_table(const AwsOptions& options) {
  const ports::TableDescription description = functions::table_description(table_name_);
  auto table = aws::DynamoDbTable::open(*dynamodb_, table_name_);
  if (!table.ok() && options.create_missing && table.error().code == model::ErrorCode::kNotFound) {
    if (auto created = aws::create_table(*dynamodb_, description); !created.ok()) return created;
    table = aws::DynamoDbTable::open(*dynamodb_, table_name_);
  }
  if (!table.ok()) return named("table " + options.table_name, table.error(), kPassTable);
  table_ = std::move(table.value());
  return model::Status();
}

model::Status AwsSystem::open_queues(const AwsOptions& options) {
  const MappingSettings& s = settings_;
  const std::map<std::string, std::string> dlq_attributes = {
      {"MessageRetentionPeriod", std::to_string(s.dead_letter_retention_seconds)}};
  auto queue = aws::SqsQueue::open(*sqs_, options.queue);
  if (!queue.ok() && options.create_missing && queue.error().code == model::ErrorCode::kNotFound) {
    // The DLQ first: the orders queue is created redriving to it.
    const std::string dlq_given =
        options.dead_letter_queue.empty() ? kDefaultDeadLetterQueue : options.dead_letter_queue;
    auto dlq = open_queue(*sqs_, "dead-letter queue", dlq_given, kPassDlq, true, dlq_attributes);
    if (!dlq.ok()) return std::move(dlq).error();
    auto dlq_arn = aws::queue_arn(*sqs_, (*dlq)->url());
    if (!dlq_arn.ok()) return std::move(dlq_arn).error();
    const std::map<std::string, std::string> attributes = {
        {"VisibilityTimeout", std::to_string(s.queue_visibility_timeout_seconds)},
        {"MessageRetentionPeriod", std::to_string(s.queue_retention_seconds)},
        {"RedrivePolicy", "{\"deadLetterTargetArn\":\"" + *dlq_arn + "\",\"maxReceiveCount\":" +
                              std::to_string(s.max_receive_count) + "}"}};
    auto url = aws::create_queue(*sqs_, queue_name_of(options.queue), attributes);
    if (url.ok()) {
      queue = std::make_unique<aws::SqsQueue>(*sqs_, *url);
    } else {
      queue = std::move(url).error();
    }
  }
  if (!queue.ok()) return named("orders queue " + options.queue, queue.error(), kPassQueue);
  queue_ = std::move(queue.value());

  std::string dlq_given = options.dead_letter_queue;
  std::string what = "dead-letter queue";
  if (dlq_given.empty()) {
    auto target = aws::dead_letter_target_arn(*sqs_, queue_->url());
    if (!target.ok()) return named("orders queue " + options.queue, target.error(), kPassQueue);
    if (!target->has_value()) {
      return model::Error::not_found("orders queue " + options.queue +
                                     " has no RedrivePolicy, so no dead-letter queue; " +
                                     kPassDlq);
    }
    dlq_given = **target;
    what = "dead-letter queue (the RedrivePolicy target of " + queue_->name() + ")";
  }
  auto dlq = open_queue(*sqs_, what, dlq_given, kPassDlq, options.create_missing, dlq_attributes);
  if (!dlq.ok()) return std::move(dlq).error();
  dead_letter_queue_ = std::move(dlq.value());
  return model::Status();
}

model::Status AwsSystem::open_stream(const AwsOptions& options) {
  streams_ = std::make_unique<aws::JsonClient>(*http_, *credentials_,
                                               config_.endpoint(aws::Service::kDynamoDbStreams),
                                               aws::dynamodb_streams_protocol());
  auto arn = aws::latest_stream_arn(*dynamodb_, table_name_);
  if (!arn.ok()) return named("the stream of table " + options.table_name, arn.error(), kPassTable);
  stream_arn_ = *arn;
  change_stream_ = std::make_unique<aws::DynamoDbChangeStream>(*streams_, *arn,
                                                               table_->describe().stream_view);
  sharded_stream_ = std::make_unique<aws::DynamoDbShardedStream>(*streams_, *arn,
                                                                 table_->describe().stream_view);
  return model::Status();
}

model::Status AwsSystem::open_stream_failure_queue(const AwsOptions& options) {
  const std::string failures_given = options.stream_failure_queue.empty()
                                         ? kDefaultStreamFailureQueue
                                         : options.stream_failure_queue;
  auto failures = open_queue(
      *sqs_, "stream on-failure queue", failures_given, kPassFailureQueue, options.create_missing,
      {{"MessageRetentionPeriod", std::to_string(settings_.dead_letter_retention_seconds)}});
  if (!failures.ok()) return std::move(failures).error();
  stream_failure_queue_ = std::move(failures.value());
  return model::Status();
}

// A table of cartflow's own (keys PK and SK), given by name or ARN, created when missing and
// `create_missing`.
model::Result<std::unique_ptr<aws::DynamoDbTable>> AwsSystem::open_own_table(
    const std::string& given, ports::TableDescription (*describe)(std::string),
    const std::string& what, const char* how, bool create_missing) {
  auto name = table_name_of(given);
  if (!name.ok()) return std::move(name).error();
  auto table = aws::DynamoDbTable::open(*dynamodb_, *name);
  if (!table.ok() && create_missing && table.error().code == model::ErrorCode::kNotFound) {
    if (auto created = aws::create_table(*dynamodb_, describe(*name)); !created.ok()) {
      return std::move(created).error();
    }
    table = aws::DynamoDbTable::open(*dynamodb_, *name);
  }
  if (!table.ok()) return named(what + " " + given, table.error(), how);
  return table;
}

model::Status AwsSystem::open_api_keys_table(const AwsOptions& options) {
  auto table = open_own_table(options.api_keys_table, platform::api_keys_table_description,
                              "API keys table", kPassApiKeysTable, options.create_missing);
  if (!table.ok()) return std::move(table).error();
  api_keys_table_ = std::move(table.value());
  return model::Status();
}

model::Status AwsSystem::open_leases_table(const AwsOptions& options) {
  auto table = open_own_table(options.leases_table, platform::lease_table_description,
                              "lease table", kPassLeasesTable, options.create_missing);
  if (!table.ok()) return std::move(table).error();
  leases_table_ = std::move(table.value());
  return model::Status();
}

AwsSystem::~AwsSystem() = default;

aws::DynamoDbTable& AwsSystem::api_keys_table() {
  if (!api_keys_table_) missing_part("the API keys table");
  return *api_keys_table_;
}

aws::DynamoDbTable& AwsSystem::leases_table() {
  if (!leases_table_) missing_part("the lease table");
  return *leases_table_;
}

aws::DynamoDbShardedStream& AwsSystem::sharded_stream() {
  if (!sharded_stream_) missing_part("the stream's shards");
  return *sharded_stream_;
}

aws::DynamoDbTable& AwsSystem::table() {
  if (!table_) missing_part("the table");
  return *table_;
}

aws::SqsQueue& AwsSystem::queue() {
  if (!queue_) missing_part("the orders queue");
  return *queue_;
}

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
