// SPDX-License-Identifier: Apache-2.0
#pragma once

// The custom runtime's event loop: /invocation/next, the handler, /response or /error, again.
// Single-threaded by design (one invocation at a time per Lambda execution environment).

#include <cstddef>
#include <functional>

#include "functions/handler.h"
#include "functions/logging.h"
#include "model/result.h"
#include "runtime/runtime_client.h"

namespace cartflow::runtime {

// errorType of a response larger than kMaxPayloadBytes (the name Lambda itself reports).
inline constexpr const char* kResponseTooLargeType = "Function.ResponseSizeTooLarge";
// errorType of an exception that escaped a handler (a bug: handlers return errors as values).
inline constexpr const char* kUnhandledType = "Runtime.UnhandledException";

struct LoopOptions {
  // Stop (successfully) after this many invocations; 0 serves until the Runtime API fails,
  // which on Lambda means forever (the environment is frozen and eventually killed).
  std::size_t max_invocations = 0;
  // Runtime-level failures (a post that failed, an oversized response) are logged here when
  // not null, and each event at INFO when the logger's log_event() is on. Must outlive the loop.
  const functions::Logger* logger = nullptr;
  // Called before each handler call with the invocation (its trace_id is the trace header), and
  // after it: e.g. aws::Tracer::begin_invocation / end_invocation. Either may be empty.
  std::function<void(const functions::InvocationContext&)> invocation_started;
  std::function<void()> invocation_ended;
};

// The error document of a function error: errorType is the error code's name ("Unavailable",
// "InvalidArgument", ...), errorMessage the error's message.
ErrorDocument function_error_document(const model::Error& error);

// Serves invocations with `handler` until `options.max_invocations` are done (returns ok) or
// the Runtime API fails (returns that error: /next failed or a post was answered 5xx; the
// caller must exit non-zero so Lambda restarts the environment). For each invocation it sets
// `_X_AMZN_TRACE_ID` to the trace header (unset when absent) before calling the handler, marks
// the first invocation cold_start, posts the response, or posts an error document when the
// handler fails, throws, or returns more than kMaxPayloadBytes. Not thread-safe (it calls
// setenv); `client` and `handler` must outlive the call.
model::Status run_loop(RuntimeClient& client, functions::Handler& handler,
                       const LoopOptions& options = {});

}  // namespace cartflow::runtime
