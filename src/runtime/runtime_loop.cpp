// SPDX-License-Identifier: Apache-2.0
#include "runtime/runtime_loop.h"

#include <cstdlib>
#include <exception>
#include <string>

namespace cartflow::runtime {

namespace {

// The handler's outcome: the response document, or the error document to post instead.
struct Outcome {
  bool ok = false;
  std::string response;
  ErrorDocument error;
};

Outcome call_handler(functions::Handler& handler, const Invocation& invocation) {
  Outcome outcome;
  try {
    auto result = handler.invoke(invocation.event, invocation.context);
    if (!result.ok()) {
      outcome.error = function_error_document(result.error());
      return outcome;
    }
    outcome.response = std::move(result.value());
  } catch (const std::exception& e) {
    outcome.error = {kUnhandledType, e.what()};
    return outcome;
  } catch (...) {
    outcome.error = {kUnhandledType, "unknown exception"};
    return outcome;
  }
  if (outcome.response.size() > kMaxPayloadBytes) {
    outcome.error = {kResponseTooLargeType,
                     "Response payload size (" + std::to_string(outcome.response.size()) +
                         " bytes) exceeded maximum allowed payload size (" +
                         std::to_string(kMaxPayloadBytes) + " bytes)."};
    outcome.response.clear();
    return outcome;
  }
  outcome.ok = true;
  return outcome;
}

// A failed post ends the loop only when Lambda says the environment is broken (5xx) or the
// connection is gone; a 4xx (e.g. the invocation already timed out) is logged and skipped.
bool is_fatal(const model::Error& error) {
  return error.code == model::ErrorCode::kInternal || error.code == model::ErrorCode::kUnavailable;
}

void log_failure(const LoopOptions& options, const functions::InvocationContext& context,
                 std::string_view message, const model::Error& error) {
  if (options.logger == nullptr) return;
  options.logger->error(context, message,
                        {{"error", error.message}, {"error_type", model::error_code_name(error.code)}});
}

void export_trace_id(const std::string& trace_id) {
  if (trace_id.empty()) {
    ::unsetenv("_X_AMZN_TRACE_ID");
  } else {
    ::setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), 1);
  }
}

}  // namespace

ErrorDocument function_error_document(const model::Error& error) {
  return {model::error_code_name(error.code), error.message};
}

model::Status run_loop(RuntimeClient& client, functions::Handler& handler, const LoopOptions& options) {
  bool cold = true;
  for (std::size_t served = 0; options.max_invocations == 0 || served < options.max_invocations;
       ++served) {
    auto next = client.next();
    if (!next.ok()) return std::move(next).error();
    Invocation& invocation = next.value();
    invocation.context.cold_start = cold;
    cold = false;
    export_trace_id(invocation.context.trace_id);

    if (options.invocation_started) options.invocation_started(invocation.context);
    if (options.logger != nullptr && options.logger->log_event()) {
      // POWERTOOLS_LOGGER_LOG_EVENT: Lambda's events are JSON, embedded as they came.
      options.logger->info(invocation.context, "event",
                           {{"event", functions::RawJson{invocation.event}}});
    }
    Outcome outcome = call_handler(handler, invocation);
    if (options.invocation_ended) options.invocation_ended();
    const std::string& id = invocation.context.request_id;
    if (outcome.ok) {
      auto posted = client.post_response(id, outcome.response);
      if (posted.ok()) continue;
      if (is_fatal(posted.error())) return std::move(posted).error();
      // Refused (413 or the like): Lambda wants an error for this invocation instead.
      log_failure(options, invocation.context, "response refused", posted.error());
      outcome.error = {kResponseTooLargeType, posted.error().message};
    }
    auto posted = client.post_error(id, outcome.error);
    if (!posted.ok()) {
      if (is_fatal(posted.error())) return std::move(posted).error();
      log_failure(options, invocation.context, "error document refused", posted.error());
    }
  }
  return {};
}

}  // namespace cartflow::runtime
