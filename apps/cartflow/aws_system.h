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
#include "aws/dynamodb_stream.h"
#include "aws/dynamodb_table.h"
#include "aws/http_client.h"
#include "aws/json_client.h"
#include "aws/sqs_queue.h"
#include "model/result.h"
#include "system.h"

namespace cartflow::app {

struct AwsOptions {
  std::string table_name = "EcommerceAppTable";          // TABLE_NAME
  std::string queue = "UpdateCartProductsSQS";           // UPDATE_CART_PRODUCT_SQS: name or URL
  std::string dead_letter_queue = "UpdateCartProductsDLQ";      // name or URL
  std::string stream_failure_queue = "OrderStreamFailureQueue";  // name or URL
  // With the pipeline (`cartflow serve`): the stream, the DLQ and the on-failure queue are
  // opened and the table and queues are looked up (DescribeTable, GetQueueUrl) at open. Without
  // it (a Lambda function), open() makes no call at all and only warms the connections up: the
  // function's role need grant nothing but what its handler does, and init stays short.
  bool with_pipeline = true;
  // Create the table (with its stream and GSIs) and the queues (the orders queue redriving to
  // the DLQ) when they do not exist: for DynamoDB Local and local SQS servers.
  bool create_missing = false;
  std::optional<MappingSettings> settings;  // deploy/event-source-mappings.json when absent
  aws::EnvLookup env = aws::process_env();
};

// Reads TABLE_NAME and UPDATE_CART_PRODUCT_SQS (the template's environment) into `options`.
AwsOptions aws_options_from_env(AwsOptions options);

class AwsSystem final : public System {
 public:
  // Fails with kInvalidArgument when no region is configured, kNotFound when the table, its
  // stream or a queue does not exist (and create_missing is off), kUnavailable when an
  // endpoint cannot be reached.
  static model::Result<std::unique_ptr<AwsSystem>> open(const AwsOptions& options);
  ~AwsSystem() override;

  aws::DynamoDbTable& table() override { return *table_; }
  aws::SqsQueue& queue() override { return *queue_; }
  // The three below exist only when opened with_pipeline (a precondition; checked).
  aws::DynamoDbChangeStream& change_stream() override;
  aws::SqsQueue& dead_letter_queue() override;
  aws::SqsQueue& stream_failure_queue() override;
  const MappingSettings& settings() const override { return settings_; }
  functions::Metrics& function_metrics() override { return metrics_; }
  const ports::Clock& clock() const override { return clock_; }
  functions::Handler* handler(std::string_view name) override { return handlers_->find(name); }

  aws::HttpClient& http() { return *http_; }
  const std::string& region() const { return config_.region; }
  // The table's stream ARN; empty without the pipeline.
  const std::string& stream_arn() const { return stream_arn_; }

 private:
  AwsSystem() = default;
  model::Status open_resources(const AwsOptions& options);
  model::Status open_pipeline(const AwsOptions& options);

  ports::SystemClock clock_;
  MappingSettings settings_;
  aws::AwsConfig config_;
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
  std::unique_ptr<functions::Logger> logger_;
  functions::Metrics metrics_;
  std::unique_ptr<Handlers> handlers_;
};

}  // namespace cartflow::app
