// SPDX-License-Identifier: Apache-2.0
#pragma once

// The program's logger, configured from the environment as Powertools reads it:
// POWERTOOLS_SERVICE_NAME (default "cartflow"); POWERTOOLS_LOG_LEVEL, else LOG_LEVEL, else
// AWS_LAMBDA_LOG_LEVEL (default INFO; an unknown level is reported on stderr and INFO used);
// POWERTOOLS_LOGGER_SAMPLE_RATE (0..1: that share of invocations logs at DEBUG; another value is
// reported and ignored); POWERTOOLS_LOGGER_LOG_EVENT (true/1/yes/on: `cartflow lambda` logs each
// event); POWERTOOLS_METRICS_NAMESPACE (default "cartflow"); AWS_LAMBDA_FUNCTION_NAME (the
// function_name key). Lines go to stderr.

#include <memory>

#include "aws/config.h"
#include "functions/logging.h"

namespace cartflow::app {

std::unique_ptr<functions::Logger> logger_from_env(const aws::EnvLookup& env = aws::process_env());

}  // namespace cartflow::app
