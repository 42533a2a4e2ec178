// SPDX-License-Identifier: Apache-2.0
#pragma once

// Region, endpoints and shared profile files, read the way the AWS SDKs read them:
// AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region` in the config file;
// AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the public endpoint of the region.
// Profiles: AWS_PROFILE (default "default"); files at AWS_SHARED_CREDENTIALS_FILE /
// AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config.
// Functions are thread-safe; they read the environment only through the EnvLookup given.

#include <functional>
#include <map>
#include <vector>
#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"

namespace cartflow::aws {

// Reads one environment variable; std::nullopt when unset or empty.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment (getenv).
EnvLookup process_env();

enum class Service { kDynamoDb, kDynamoDbStreams, kSqs };

struct ServiceEndpoint {
  std::string url;           // scheme://host[:port], no trailing slash
  std::string region;
  std::string signing_name;  // SigV4 service name ("dynamodb" for Streams too)
};

struct AwsConfig {
  std::string region;
  std::string profile = "default";
  std::map<Service, std::string> endpoint_overrides;  // from AWS_ENDPOINT_URL[_<SERVICE>]

  // The endpoint to call for `service`.
  ServiceEndpoint endpoint(Service service) const;
};

// Loads region and endpoints. Fails with kInvalidArgument when no region is configured.
model::Result<AwsConfig> load_config(const EnvLookup& env = process_env());

// Shared config/credentials files: profile name -> key -> value. In the config file, sections
// are "[default]" or "[profile NAME]"; in the credentials file "[NAME]". Comments start with
// '#' or ';'; keys are lowercased; nested (indented) sub-properties are ignored.
using ProfileSections = std::map<std::string, std::map<std::string, std::string>>;
ProfileSections parse_profile_file(std::string_view text, bool is_config_file);

// The value of `key` for the active profile, from the credentials file (when
// from_credentials_file) or the config file; std::nullopt when absent or the file is missing.
std::optional<std::string> profile_value(const EnvLookup& env, const std::string& key,
                                         bool from_credentials_file);

// An ARN's fields: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (the resource may hold ':'
// and '/', e.g. "table/Orders"). std::nullopt when `text` does not start with "arn:" or has
// fewer than six fields or an empty service or resource.
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};
std::optional<Arn> parse_arn(std::string_view text);

// One CloudFormation stack output.
struct StackOutput {
  std::string key;
  std::string value;
};
// The outputs of one stack, from what `aws cloudformation describe-stacks --stack-name S`
// prints ({"Stacks":[{..., "Outputs":[{"OutputKey":..,"OutputValue":..}, ...]}]}), or from its
// `--query Stacks[0].Outputs` form (the array alone). Fails with kInvalidArgument when the text
// is not such JSON, when it holds no stack or several (name one with --stack-name), or when an
// output lacks its key or value. A stack without outputs gives an empty list.
model::Result<std::vector<StackOutput>> parse_stack_outputs(std::string_view json);

}  // namespace cartflow::aws
