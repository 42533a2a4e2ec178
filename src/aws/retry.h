// SPDX-License-Identifier: Apache-2.0
#pragma once

// Retries as the AWS SDKs' "standard" mode does them: at most max_attempts attempts,
// exponential backoff with full jitter (delay = random[0,1) * min(max_backoff, base * 2^n),
// base 100 ms, 500 ms after throttling), and a retry quota shared by all calls of a client
// (500 tokens; a retry costs 5, 10 after a timeout; a success returns what its retry took, or 1
// when it needed none), so a failing service is not flooded with retries. Retried: throttling
// errors, HTTP 5xx, transient errors and connection failures; never conditional-check or
// validation errors. Also the mapping of AWS error responses to model::Error.

#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <string>

#include "aws/http_client.h"
#include "model/result.h"

namespace cartflow::aws {

struct RetryOptions {
  int max_attempts = 3;
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds throttling_base_delay{500};
  std::chrono::milliseconds max_backoff{20000};
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
};

// An AWS error response: the error type (without namespace prefix, e.g.
// "ConditionalCheckFailedException") and message, and the HTTP status.
struct AwsError {
  long status = 0;
  std::string type;
  std::string message;
  std::string body;
};

// Parses an error response of the JSON protocols (x-amzn-ErrorType header, or __type / code
// in the body; "message" or "Message"). Also reads the Query-compatible
// x-amzn-query-error header ("AWS.SimpleQueueService.NonExistentQueue;Sender").
AwsError parse_aws_error(const HttpResponse& response);

enum class RetryKind { kNone, kThrottling, kTransient, kTimeout };
// How a failed attempt may be retried: by error type and status, or kTimeout/kTransient for a
// transport failure (error code kUnavailable from HttpClient).
RetryKind classify(const AwsError& error);
RetryKind classify_transport(const model::Error& error);

// The model error for an AWS error: ConditionalCheckFailed -> kConditionFailed; validation,
// serialization and parameter errors -> kInvalidArgument; ResourceNotFound and missing queues
// -> kNotFound; throttling -> kThrottled; 5xx and transient -> kUnavailable; others kInternal.
// SQS codes match with or without their "AWS.SimpleQueueService." prefix; its
// PurgeQueueInProgress, QueueDeletedRecently and OverLimit are kThrottled (not retried here),
// QueueAlreadyExists / QueueNameExists kConditionFailed.
// TransactionCanceledException carries its CancellationReasons: kConditionFailed when one is
// ConditionalCheckFailed, kThrottled when one is TransactionConflict or throttling,
// kInvalidArgument otherwise. The message is "Type: message".
model::Error to_model_error(const AwsError& error);

// The retry quota and the jittered backoff of one client. Thread-safe.
class RetryStrategy {
 public:
  explicit RetryStrategy(RetryOptions options = {}, unsigned seed = std::random_device{}());

  // Runs `attempt` until it returns a response that needs no retry (2xx, or an error that is
  // not retryable), attempts run out, or the quota is empty. `sleep` waits between attempts.
  // Returns the last response (any status) or the last transport error.
  model::Result<HttpResponse> run(const std::function<model::Result<HttpResponse>()>& attempt,
                                  const std::function<void(std::chrono::milliseconds)>& sleep);

  // The delay before retry number `retry` (0-based) after an error of `kind`.
  std::chrono::milliseconds backoff(int retry, RetryKind kind);
  int quota() const;
  const RetryOptions& options() const { return options_; }

 private:
  bool acquire(int cost);
  void release(int amount);

  RetryOptions options_;
  mutable std::mutex mutex_;
  int quota_;            // GUARDED_BY(mutex_)
  std::mt19937_64 rng_;  // GUARDED_BY(mutex_)
};

}  // namespace cartflow::aws
