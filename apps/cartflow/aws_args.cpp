// SPDX-License-Identifier: Apache-2.0
#include "aws_args.h"

#include <fstream>
#include <iterator>

namespace cartflow::app {

void add_aws_options(CLI::App& command, AwsArgs& args, AwsParts parts, bool with_create_missing) {
  command
      .add_option("--backend", args.backend,
                  "embedded (the --db file) or aws (DynamoDB, DynamoDB Streams, SQS; endpoints, "
                  "region and credentials as the AWS SDKs read them)")
      ->check(CLI::IsMember({"embedded", "aws"}))
      ->capture_default_str();
  if (parts == AwsParts::kTable || parts == AwsParts::kAll) {
    command.add_option("--table", args.table,
                       "aws: the table, name or ARN (default $TABLE_NAME or EcommerceAppTable)");
  }
  if (parts == AwsParts::kQueues || parts == AwsParts::kAll) {
    command.add_option("--queue", args.queue,
                       "aws: the orders queue, name, URL or ARN (default "
                       "$UPDATE_CART_PRODUCT_SQS or UpdateCartProductsSQS)");
    command.add_option("--dlq", args.dead_letter_queue,
                       "aws: the dead-letter queue, name, URL or ARN (default "
                       "$UPDATE_CART_PRODUCT_DLQ or the orders queue's RedrivePolicy target)");
  }
  if (parts == AwsParts::kAll) {
    command.add_option("--stream-failure-queue", args.stream_failure_queue,
                       "aws: the stream mapping's on-failure queue, name, URL or ARN (default "
                       "$ORDER_STREAM_FAILURE_SQS or OrderStreamFailureQueue)");
  }
  command.add_option("--stack-outputs", args.stack_outputs,
                     "aws: a file holding `aws cloudformation describe-stacks --stack-name S` "
                     "output; its TableName, QueueUrl and StreamFailureQueueUrl outputs name the "
                     "resources");
  if (with_create_missing) {
    command.add_flag("--create-missing", args.create_missing,
                     "aws: create the table and the queues when they do not exist (DynamoDB "
                     "Local, local SQS servers)");
  }
}

void add_api_keys_table_option(CLI::App& command, AwsArgs& args) {
  command.add_option("--keys-table", args.api_keys_table,
                     "aws: the API keys table, name or ARN (default $CARTFLOW_API_KEYS_TABLE or "
                     "CartflowApiKeys); shared by every instance on it");
}

void add_leases_table_option(CLI::App& command, AwsArgs& args) {
  command.add_option("--leases-table", args.leases_table,
                     "aws: the stream's shard leases and checkpoints, name or ARN (default "
                     "$CARTFLOW_LEASES_TABLE or CartflowLeases); shared by every pipeline instance");
}

void apply_stack_outputs(const std::vector<aws::StackOutput>& outputs, AwsOptions& options) {
  for (const aws::StackOutput& output : outputs) {
    if (output.key == "TableName") options.table_name = output.value;
    if (output.key == "QueueUrl") options.queue = output.value;
    if (output.key == "StreamFailureQueueUrl") options.stream_failure_queue = output.value;
    if (output.key == "ApiKeysTableName") options.api_keys_table = output.value;
    if (output.key == "LeasesTableName") options.leases_table = output.value;
  }
}

model::Result<AwsOptions> aws_options_from_args(const AwsArgs& args, AwsParts parts,
                                                AwsOptions base) {
  if (args.backend != "aws") {
    if (!args.table.empty() || !args.queue.empty() || !args.dead_letter_queue.empty() ||
        !args.stream_failure_queue.empty() || !args.stack_outputs.empty() ||
        !args.api_keys_table.empty() || !args.leases_table.empty() || args.create_missing) {
      return model::Error::invalid(
          "--table, --queue, --dlq, --stream-failure-queue, --keys-table, --leases-table, "
          "--stack-outputs and --create-missing apply to --backend aws");
    }
  }
  AwsOptions options = aws_options_from_env(std::move(base));
  options.parts = parts;
  if (!args.stack_outputs.empty()) {
    std::ifstream in(args.stack_outputs, std::ios::binary);
    if (!in) return model::Error::invalid("cannot read the stack outputs file " + args.stack_outputs);
    const std::string json(std::istreambuf_iterator<char>(in), {});
    auto outputs = aws::parse_stack_outputs(json);
    if (!outputs.ok()) {
      return model::Error::invalid(args.stack_outputs + ": " + outputs.error().message);
    }
    apply_stack_outputs(*outputs, options);
  }
  if (!args.table.empty()) options.table_name = args.table;
  if (!args.queue.empty()) options.queue = args.queue;
  if (!args.dead_letter_queue.empty()) options.dead_letter_queue = args.dead_letter_queue;
  if (!args.stream_failure_queue.empty()) options.stream_failure_queue = args.stream_failure_queue;
  if (!args.api_keys_table.empty()) options.api_keys_table = args.api_keys_table;
  if (!args.leases_table.empty()) options.leases_table = args.leases_table;
  options.create_missing = args.create_missing;
  return options;
}

model::Result<std::unique_ptr<AwsSystem>> open_aws_system(const AwsArgs& args, AwsParts parts) {
  auto options = aws_options_from_args(args, parts);
  if (!options.ok()) return std::move(options).error();
  return AwsSystem::open(*options);
}

}  // namespace cartflow::app
