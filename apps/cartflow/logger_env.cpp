// SPDX-License-Identifier: Apache-2.0
#include "logger_env.h"

#include "commands.h"

namespace cartflow::app {

std::unique_ptr<functions::Logger> logger_from_env(const aws::EnvLookup& env) {
  functions::LogLevel level = functions::LogLevel::kInfo;
  for (const char* name : {"POWERTOOLS_LOG_LEVEL", "LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL"}) {
    const auto text = env(name);
    if (!text) continue;
    auto parsed = functions::parse_log_level(*text);
    if (parsed.ok()) {
      level = *parsed;
    } else {
      print_error(std::string(name) + ": " + parsed.error().message + " (using INFO)");
    }
    break;
  }
  return std::make_unique<functions::Logger>(env("POWERTOOLS_SERVICE_NAME").value_or("cartflow"),
                                             functions::stderr_sink(), level, nullptr,
                                             env("POWERTOOLS_METRICS_NAMESPACE").value_or("cartflow"));
}

}  // namespace cartflow::app
