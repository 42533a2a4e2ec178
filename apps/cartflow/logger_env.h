// SPDX-License-Identifier: Apache-2.0
#pragma once

// The handlers' logger, configured from the environment as Powertools reads it:
// POWERTOOLS_SERVICE_NAME (default "cartflow"), POWERTOOLS_LOG_LEVEL, else LOG_LEVEL, else
// AWS_LAMBDA_LOG_LEVEL (default INFO; an unknown level is reported on stderr and INFO used),
// POWERTOOLS_METRICS_NAMESPACE (default "cartflow"). Lines go to stderr.

#include <memory>

#include "aws/config.h"
#include "functions/logging.h"

namespace cartflow::app {

std::unique_ptr<functions::Logger> logger_from_env(const aws::EnvLookup& env = aws::process_env());

}  // namespace cartflow::app
