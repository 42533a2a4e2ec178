// SPDX-License-Identifier: Apache-2.0
#include "aws/config.h"

#include <simdjson.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cartflow::aws {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string file_path(const EnvLookup& env, const char* var, const char* leaf) {
  if (auto p = env(var)) return *p;
  std::string home = env("HOME").value_or("");
  return home + "/.aws/" + leaf;
}

std::string active_profile(const EnvLookup& env) {
  return env("AWS_PROFILE").value_or("default");
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

ProfileSections parse_profile_file(std::string_view text, bool is_config_file) {
  ProfileSections out;
  std::string section;
  bool in_section = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      std::size_t close = line.find(']');
      std::string name = trim(line.substr(1, close == std::string::npos ? std::string::npos : close - 1));
      in_section = true;
      if (is_config_file) {
        if (name.rfind("profile", 0) == 0 && name.size() > 7 && std::isspace(static_cast<unsigned char>(name[7]))) {
          name = trim(name.substr(7));
        } else if (name != "default") {
          in_section = false;  // e.g. [sso-session x], [services x]
          continue;
        }
      }
      section = name;
      out[section];
      continue;
    }
    if (!in_section) continue;
    if (std::isspace(static_cast<unsigned char>(raw.empty() ? 'x' : raw[0]))) continue;  // sub-property
    std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = trim(line.substr(eq + 1));
    // Inline comments need whitespace before the '#' or ';'.
    for (std::size_t i = 1; i < value.size(); ++i) {
      if ((value[i] == '#' || value[i] == ';') && std::isspace(static_cast<unsigned char>(value[i - 1]))) {
        value = trim(value.substr(0, i));
        break;
      }
    }
    out[section][lower(trim(line.substr(0, eq)))] = value;
  }
  return out;
}

std::optional<std::string> profile_value(const EnvLookup& env, const std::string& key,
                                         bool from_credentials_file) {
  std::string path = from_credentials_file ? file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
                                           : file_path(env, "AWS_CONFIG_FILE", "config");
  auto text = read_file(path);
  if (!text) return std::nullopt;
  ProfileSections sections = parse_profile_file(*text, !from_credentials_file);
  auto s = sections.find(active_profile(env));
  if (s == sections.end()) return std::nullopt;
  auto v = s->second.find(key);
  if (v == s->second.end() || v->second.empty()) return std::nullopt;
  return v->second;
}

model::Result<AwsConfig> load_config(const EnvLookup& env) {
  AwsConfig config;
  config.profile = active_profile(env);
  if (auto r = env("AWS_REGION")) {
    config.region = *r;
  } else if (auto d = env("AWS_DEFAULT_REGION")) {
    config.region = *d;
  } else if (auto p = profile_value(env, "region", false)) {
    config.region = *p;
  } else {
    return model::Error::invalid(
        "no AWS region: set AWS_REGION or AWS_DEFAULT_REGION, or region in the profile '" +
        config.profile + "'");
  }
  auto strip = [](std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  };
  std::optional<std::string> global = env("AWS_ENDPOINT_URL");
  const std::pair<Service, const char*> kVars[] = {
      {Service::kDynamoDb, "AWS_ENDPOINT_URL_DYNAMODB"},
      {Service::kDynamoDbStreams, "AWS_ENDPOINT_URL_DYNAMODB_STREAMS"},
      {Service::kSqs, "AWS_ENDPOINT_URL_SQS"}};
  for (const auto& [service, var] : kVars) {
    if (auto v = env(var)) {
      config.endpoint_overrides[service] = strip(*v);
    } else if (global) {
      config.endpoint_overrides[service] = strip(*global);
    }
  }
  return config;
}

ServiceEndpoint AwsConfig::endpoint(Service service) const {
  ServiceEndpoint e;
  e.region = region;
  e.signing_name = service == Service::kSqs ? "sqs" : "dynamodb";
  if (auto it = endpoint_overrides.find(service); it != endpoint_overrides.end()) {
    e.url = it->second;
    return e;
  }
  std::string suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  switch (service) {
    case Service::kDynamoDb: e.url = "https://dynamodb." + region + suffix; break;
    case Service::kDynamoDbStreams: e.url = "https://streams.dynamodb." + region + suffix; break;
    case Service::kSqs: e.url = "https://sqs." + region + suffix; break;
  }
  return e;
}

std::optional<Arn> parse_arn(std::string_view text) {
  if (!text.starts_with("arn:")) return std::nullopt;
  std::string_view fields[5];
  std::string_view rest = text.substr(4);
  for (int i = 0; i < 4; ++i) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    fields[i] = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  fields[4] = rest;
  if (fields[0].empty() || fields[1].empty() || fields[4].empty()) return std::nullopt;
  return Arn{std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
             std::string(fields[3]), std::string(fields[4])};
}

model::Result<std::vector<StackOutput>> parse_stack_outputs(std::string_view json) {
  using model::Error;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(json)).get(doc) != simdjson::SUCCESS) {
    return Error::invalid("stack outputs: not JSON (expected what `aws cloudformation "
                          "describe-stacks --stack-name STACK` prints)");
  }
  simdjson::dom::array outputs;
  if (doc.is_object()) {
    simdjson::dom::array stacks;
    if (doc["Stacks"].get(stacks) != simdjson::SUCCESS) {
      return Error::invalid("stack outputs: no \"Stacks\" array (expected what `aws "
                            "cloudformation describe-stacks --stack-name STACK` prints)");
    }
    if (stacks.size() != 1) {
      return Error::invalid("stack outputs: " + std::to_string(stacks.size()) +
                            " stacks described; describe one with --stack-name STACK");
    }
    simdjson::dom::element stack = stacks.at(0);
    if (!stack.is_object()) return Error::invalid("stack outputs: a stack is not an object");
    if (stack["Outputs"].get(outputs) != simdjson::SUCCESS) return std::vector<StackOutput>{};
  } else if (doc.get(outputs) != simdjson::SUCCESS) {
    return Error::invalid("stack outputs: expected an object with \"Stacks\" or an array of outputs");
  }
  std::vector<StackOutput> out;
  for (simdjson::dom::element output : outputs) {
    std::string_view key, value;
    if (output["OutputKey"].get(key) != simdjson::SUCCESS ||
        output["OutputValue"].get(value) != simdjson::SUCCESS) {
      return Error::invalid("stack outputs: an output without a string OutputKey and OutputValue");
    }
    out.push_back({std::string(key), std::string(value)});
  }
  return out;
}

}  // namespace cartflow::aws
