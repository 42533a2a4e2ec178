// SPDX-License-Identifier: Apache-2.0
#pragma once

// The command-line options that say where a command's AWS resources are (`--backend aws`),
// shared by serve, status, dlq and catalog, and how they become AwsOptions. Precedence, for
// each resource: its flag, then the --stack-outputs file, then the environment
// (aws_options_from_env), then AwsOptions' defaults.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "aws/config.h"
#include "aws_system.h"
#include "model/result.h"

namespace cartflow::app {

struct AwsArgs {
  std::string backend = "embedded";
  std::string table;
  std::string queue;
  std::string dead_letter_queue;
  std::string stream_failure_queue;
  std::string stack_outputs;  // a file with `aws cloudformation describe-stacks` JSON
  std::string api_keys_table;
  std::string leases_table;
  bool create_missing = false;
};

// Registers --backend and the resource options that `parts` uses (--table for the table;
// --queue and --dlq for the queues; --stream-failure-queue with kAll), --stack-outputs, and
// --create-missing when `with_create_missing`. `args` must outlive the command's parsing.
void add_aws_options(CLI::App& command, AwsArgs& args, AwsParts parts, bool with_create_missing);

// Registers --keys-table (the API keys table with --backend aws), for the commands that use the
// API keys (serve, keys).
void add_api_keys_table_option(CLI::App& command, AwsArgs& args);

// Registers --leases-table (the stream's lease table with --backend aws), for `serve`.
void add_leases_table_option(CLI::App& command, AwsArgs& args);

// Which stack outputs name which resource: TableName, QueueUrl, StreamFailureQueueUrl,
// ApiKeysTableName, LeasesTableName (deploy/template.yaml's Outputs). Other outputs (ApiUrl, DeadLetterQueueUrl, ...) are not
// read: the DLQ is the orders queue's RedrivePolicy target.
void apply_stack_outputs(const std::vector<aws::StackOutput>& outputs, AwsOptions& options);

// The AwsOptions for `args`. Fails with kInvalidArgument when a resource option is given
// without --backend aws, or when the --stack-outputs file cannot be read or parsed (the
// message names the file).
model::Result<AwsOptions> aws_options_from_args(const AwsArgs& args, AwsParts parts,
                                                AwsOptions base = {});

// aws_options_from_args, then AwsSystem::open with `parts`: the system, or the first one's error.
model::Result<std::unique_ptr<AwsSystem>> open_aws_system(const AwsArgs& args, AwsParts parts);

}  // namespace cartflow::app
