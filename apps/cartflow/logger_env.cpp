// SPDX-License-Identifier: Apache-2.0
#include "logger_env.h"

#include <cctype>
#include <charconv>

#include "commands.h"

namespace cartflow::app {

namespace {

// Powertools' truthy values (Python's strtobool): y, yes, t, true, on, 1, any case.
bool truthy(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text == "y" || text == "yes" || text == "t" || text == "true" || text == "on" ||
         text == "1";
}

}  // namespace

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
  auto logger = std::make_unique<functions::Logger>(
      env("POWERTOOLS_SERVICE_NAME").value_or("cartflow"), functions::stderr_sink(), level,
      nullptr, env("POWERTOOLS_METRICS_NAMESPACE").value_or("cartflow"));
  logger->set_function_name(env("AWS_LAMBDA_FUNCTION_NAME").value_or(""));
  if (const auto rate = env("POWERTOOLS_LOGGER_SAMPLE_RATE")) {
    double value = -1;
    const auto [end, ec] = std::from_chars(rate->data(), rate->data() + rate->size(), value);
    if (ec != std::errc() || end != rate->data() + rate->size() || value < 0 || value > 1) {
      print_error("POWERTOOLS_LOGGER_SAMPLE_RATE: '" + *rate + "' is not a number from 0 to 1 "
                  "(no sampling)");
    } else {
      logger->set_sample_rate(value);
    }
  }
  if (const auto log_event = env("POWERTOOLS_LOGGER_LOG_EVENT")) logger->set_log_event(truthy(*log_event));
  return logger;
}

}  // namespace cartflow::app
