// SPDX-License-Identifier: Apache-2.0
#pragma once

// Handler: one Lambda function, a plain function from the JSON event Lambda sends to the JSON
// response Lambda expects. The same object serves the Lambda runtime loop (runtime/), the local
// platform (platform/) and `cartflow invoke`. Implementations are thread-safe: the platform
// invokes one handler from several threads at once.

#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.h"

namespace cartflow::functions {

// What the Runtime API tells about one invocation (headers of /invocation/next).
struct InvocationContext {
  std::string request_id;         // Lambda-Runtime-Aws-Request-Id
  std::string invoked_function_arn;
  std::int64_t deadline_ms = 0;   // Unix ms; 0 when unknown
  std::string trace_id;           // X-Ray trace header, may be empty
  bool cold_start = false;        // first invocation of this process
};

class Handler {
 public:
  virtual ~Handler() = default;
  // The handler's name as in `_HANDLER`: "api", "process-cart-products", "update-cart-status".
  virtual std::string_view name() const = 0;
  // Returns the response document (JSON). An error is a function error: the runtime posts it
  // to /invocation/{id}/error and the event source retries as Lambda would. Handlers report
  // expected per-record failures inside the response (batchItemFailures, HTTP 4xx), not as
  // errors; malformed events never crash the process.
  virtual model::Result<std::string> invoke(std::string_view event_json,
                                            const InvocationContext& context) = 0;
};

}  // namespace cartflow::functions
