// SPDX-License-Identifier: Apache-2.0
#pragma once

// AwsSystem: the cartflow system (see system.h) on AWS services: the table on DynamoDB, its
// change stream on DynamoDB Streams, the queues on SQS. Region, endpoints and credentials are
// read as the AWS SDKs read them (aws/config.h, aws/credentials.h), so the same program talks to
// AWS, to DynamoDB Local and to a local SQS server (AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL_SQS). Not copyable; the handlers and ports are thread-safe.

#include <memory>
#include <optional>
#include <string>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/dynamodb_shards.h"
#include "aws/dynamodb_stream.h"
#include "aws/dynamodb_table.h"
#include "aws/http_client.h"
#include "aws/json_client.h"
#include "aws/sqs_queue.h"
#include "model/result.h"
#include "system.h"

namespace cartflow::app {

// What AwsSystem::open looks up (and, with create_missing, creates).
enum class AwsParts {
  // A Lambda function (`cartflow lambda`, `invoke`): the table and the orders queue, with no call
  // at open (a queue given by name or ARN costs one GetQueueUrl): the function's role need grant
  // nothing but what its handler does, and init stays short. Only warms the connections up.
  kLambda,
  kTable,   // `catalog load`: the table (DescribeTable)
  kQueues,  // `dlq`: the orders queue and its dead-letter queue
  kAll,     // `serve`, `status`: the table, its stream, the orders queue, its DLQ, the on-failure queue
  // `serve --role api`: kAll without the stream (no DynamoDB Streams call): the table, and the
  // three queues that the console shows.
  kApi,
  kApiKeys,  // `keys`: the API keys table only
};

// Where the resources are. Each may be given by name, URL (queues) or ARN; none is looked up by
// a fixed name except the defaults below, which are the names --create-missing gives.
struct AwsOptions {
  std::string table_name = "EcommerceAppTable";  // TABLE_NAME: name or ARN
  std::string queue = "UpdateCartProductsSQS";   // UPDATE_CART_PRODUCT_SQS: name, URL or ARN
  // UPDATE_CART_PRODUCT_DLQ. Empty: the target of the orders queue's RedrivePolicy (created as
  // UpdateCartProductsDLQ with the queue by create_missing).
  std::string dead_letter_queue;
  // ORDER_STREAM_FAILURE_SQS: the stream mapping's on-failure destination. Empty: a queue named
  // OrderStreamFailureQueue (as create_missing creates it).
  std::string stream_failure_queue;
  AwsParts parts = AwsParts::kAll;
  // CARTFLOW_API_KEYS_TABLE: the API keys and usage counters (platform/table_api_keys.h), name
  // or ARN; opened with kApiKeys, or with any part when `api_keys` is set.
  std::string api_keys_table = "CartflowApiKeys";
  bool api_keys = false;
  // CARTFLOW_LEASES_TABLE: the stream's shard leases and checkpoints (platform/lease_table.h),
  // name or ARN; opened with kAll when `leases` is set (`serve` running the pipeline).
  std::string leases_table = "CartflowLeases";
  bool leases = false;
  // Create the table (with its stream and GSIs) and the queues (the orders queue redriving to
  // the DLQ) when they do not exist: for DynamoDB Local and local SQS servers. Not for kLambda.
  bool create_missing = false;
  std::optional<MappingSettings> settings;  // deploy/event-source-mappings.json when absent
  aws::EnvLookup env = aws::process_env();
};

// Reads TABLE_NAME, UPDATE_CART_PRODUCT_SQS (the template's environment), UPDATE_CART_PRODUCT_DLQ,
// ORDER_STREAM_FAILURE_SQS, CARTFLOW_API_KEYS_TABLE and CARTFLOW_LEASES_TABLE into `options`
// when set.
AwsOptions aws_options_from_env(AwsOptions options);

class AwsSystem final : public System {
 public:
  // Fails with kInvalidArgument when no region is configured or a resource is given by a
  // malformed or foreign ARN, kNotFound when the table, its stream or a queue does not exist
  // (and create_missing is off) or the orders queue has no RedrivePolicy and no DLQ is given,
  // kUnavailable when an endpoint cannot be reached. Each error names the resource as given
  // and how to pass it (flag, environment variable, stack output).
  static model::Result<std::unique_ptr<AwsSystem>> open(const AwsOptions& options);
  ~AwsSystem() override;

  // Each part exists only when opened with it (see AwsParts; a precondition, checked): the
  // table with kLambda, kTable, kApi, kAll; the orders queue with kLambda, kQueues, kApi, kAll;
  // the DLQ with kQueues, kApi and kAll; the on-failure queue with kApi and kAll; the stream
  // with kAll.
  aws::DynamoDbTable& table() override;
  aws::SqsQueue& queue() override;
  aws::DynamoDbChangeStream& change_stream() override;
  aws::SqsQueue& dead_letter_queue() override;
  aws::SqsQueue& stream_failure_queue() override;
  // The API keys table: with kApiKeys or `api_keys`.
  aws::DynamoDbTable& api_keys_table();
  // The lease table: with kAll and `leases`.
  aws::DynamoDbTable& leases_table();
  // The stream as its shards (for the lease coordinator): with kAll.
  aws::DynamoDbShardedStream& sharded_stream();
  const MappingSettings& settings() const override { return settings_; }
  functions::Metrics& function_metrics() override { return metrics_; }
  const ports::Clock& clock() const override { return clock_; }
  // nullptr also when opened without the table or the queue (kTable, kQueues).
  functions::Handler* handler(std::string_view name) override {
    return handlers_ ? handlers_->find(name) : nullptr;
  }

  aws::HttpClient& http() { return *http_; }
  const std::string& region() const { return config_.region; }
  // The table's name and its stream's ARN; empty when opened without them.
  const std::string& table_name() const { return table_name_; }
  const std::string& stream_arn() const { return stream_arn_; }

 private:
  AwsSystem() = default;
  model::Status open_for_lambda(const AwsOptions& options);
  model::Status open_table(const AwsOptions& options);
  model::Status open_queues(const AwsOptions& options);
  model::Status open_stream(const AwsOptions& options);
  model::Status open_stream_failure_queue(const AwsOptions& options);
  model::Status open_api_keys_table(const AwsOptions& options);
  model::Status open_leases_table(const AwsOptions& options);
  model::Result<std::unique_ptr<aws::DynamoDbTable>> open_own_table(
      const std::string& given, ports::TableDescription (*describe)(std::string),
      const std::string& what, const char* how, bool create_missing);

  ports::SystemClock clock_;
  MappingSettings settings_;
  aws::AwsConfig config_;
  std::string table_name_;
  std::string stream_arn_;
  std::unique_ptr<aws::HttpClient> http_;
  std::unique_ptr<aws::CredentialsProvider> credentials_;
  std::unique_ptr<aws::JsonClient> dynamodb_;
  std::unique_ptr<aws::JsonClient> streams_;
  std::unique_ptr<aws::JsonClient> sqs_;
  std::unique_ptr<aws::DynamoDbTable> table_;
  std::unique_ptr<aws::DynamoDbChangeStream> change_stream_;
  std::unique_ptr<aws::SqsQueue> queue_;
  std::unique_ptr<aws::SqsQueue> dead_letter_queue_;
  std::unique_ptr<aws::SqsQueue> stream_failure_queue_;
  std::unique_ptr<aws::DynamoDbTable> api_keys_table_;
  std::unique_ptr<aws::DynamoDbTable> leases_table_;
  std::unique_ptr<aws::DynamoDbShardedStream> sharded_stream_;
  std::unique_ptr<functions::Logger> logger_;
  functions::Metrics metrics_;
  std::unique_ptr<Handlers> handlers_;
};

}  // namespace cartflow::app
