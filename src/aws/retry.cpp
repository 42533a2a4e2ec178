// SPDX-License-Identifier: Apache-2.0
#include "aws/retry.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

namespace cartflow::aws {

using model::Error;
using model::ErrorCode;

namespace {

bool one_of(const std::string& s, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return s == n; });
}

bool is_throttling(const std::string& type) {
  return one_of(type, {"Throttling", "ThrottlingException", "ThrottledException",
                       "RequestThrottledException", "TooManyRequestsException",
                       "ProvisionedThroughputExceededException", "TransactionInProgressException",
                       "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
                       "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                       "EC2ThrottledException", "ThrottlingError",
                       "AWS.SimpleQueueService.RequestThrottled"});
}

bool is_transient(const std::string& type) {
  return one_of(type, {"RequestTimeout", "RequestTimeoutException", "InternalError",
                       "InternalFailure", "InternalServerError", "ServiceUnavailable"});
}

// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException";
// "X:http://..." -> "X".
std::string short_type(std::string_view t) {
  if (auto hash = t.rfind('#'); hash != std::string_view::npos) t = t.substr(hash + 1);
  if (auto colon = t.find(':'); colon != std::string_view::npos) t = t.substr(0, colon);
  return std::string(t);
}

}  // namespace

AwsError parse_aws_error(const HttpResponse& response) {
  AwsError e;
  e.status = response.status;
  e.body = response.body;
  std::string query_error = response.header("x-amzn-query-error");
  std::string header_type = response.header("x-amzn-ErrorType");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!response.body.empty() &&
      parser.parse(simdjson::padded_string(response.body)).get(doc) == simdjson::SUCCESS &&
      doc.is_object()) {
    std::string_view v;
    if (doc["__type"].get(v) == simdjson::SUCCESS || doc["code"].get(v) == simdjson::SUCCESS) {
      e.type = short_type(v);
    }
    if (doc["message"].get(v) == simdjson::SUCCESS || doc["Message"].get(v) == simdjson::SUCCESS) {
      e.message = v;
    }
  }
  if (!query_error.empty()) {
    e.type = query_error.substr(0, query_error.find(';'));
  } else if (e.type.empty() && !header_type.empty()) {
    e.type = short_type(header_type);
  }
  if (e.type.empty()) e.type = "HTTP" + std::to_string(response.status);
  return e;
}

RetryKind classify(const AwsError& error) {
  if (is_throttling(error.type) || error.status == 429) return RetryKind::kThrottling;
  if (is_transient(error.type)) return RetryKind::kTransient;
  if (error.status == 500 || error.status == 502 || error.status == 503 || error.status == 504) {
    return RetryKind::kTransient;
  }
  return RetryKind::kNone;
}

RetryKind classify_transport(const Error& error) {
  if (error.code != ErrorCode::kUnavailable) return RetryKind::kNone;
  return error.message.rfind("timeout", 0) == 0 ? RetryKind::kTimeout : RetryKind::kTransient;
}

Error to_model_error(const AwsError& error) {
  Error out;
  out.message = error.type + (error.message.empty() ? "" : ": " + error.message);
  // SQS's Query-compatible codes carry a prefix ("AWS.SimpleQueueService.NonExistentQueue").
  std::string_view sqs_prefix = "AWS.SimpleQueueService.";
  const std::string t = error.type.rfind(sqs_prefix, 0) == 0 ? error.type.substr(sqs_prefix.size()) : error.type;
  if (t == "TransactionCanceledException") {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    bool condition = false, conflict = false;
    if (parser.parse(simdjson::padded_string(error.body)).get(doc) == simdjson::SUCCESS) {
      simdjson::dom::array reasons;
      if (doc["CancellationReasons"].get(reasons) == simdjson::SUCCESS) {
        for (simdjson::dom::element r : reasons) {
          std::string_view code = "None", message;
          if (r["Code"].get(code) != simdjson::SUCCESS) code = "None";
          if (r["Message"].get(message) != simdjson::SUCCESS) message = {};
          out.cancellation_reasons.push_back({std::string(code), std::string(message)});
          if (code == "ConditionalCheckFailed") condition = true;
          if (code == "TransactionConflict" || code == "ThrottlingError" ||
              code == "ProvisionedThroughputExceeded") {
            conflict = true;
          }
        }
      }
    }
    out.code = condition ? ErrorCode::kConditionFailed
                         : conflict ? ErrorCode::kThrottled : ErrorCode::kInvalidArgument;
    return out;
  }
  if (t == "ConditionalCheckFailedException") {
    out.code = ErrorCode::kConditionFailed;
  } else if (one_of(t, {"ValidationException", "SerializationException", "InvalidParameterValue",
                        "InvalidParameterCombination", "MissingParameter", "InvalidAddress",
                        "InvalidAttributeName", "InvalidAttributeValue", "InvalidMessageContents",
                        "EmptyBatchRequest", "TooManyEntriesInBatchRequest",
                        "BatchEntryIdsNotDistinct", "InvalidBatchEntryId", "BatchRequestTooLong",
                        "ReceiptHandleIsInvalid", "InvalidIdFormat", "MessageNotInflight",
                        "ItemCollectionSizeLimitExceededException", "IdempotentParameterMismatchException",
                        "TransactionConflictException", "ExpiredIteratorException",
                        "TrimmedDataAccessException", "InvalidParameterValueException",
                        "UnsupportedOperation"})) {
    out.code = t == "TransactionConflictException" ? ErrorCode::kThrottled : ErrorCode::kInvalidArgument;
  } else if (one_of(t, {"ResourceNotFoundException", "QueueDoesNotExist", "NonExistentQueue",
                        "TableNotFoundException"})) {
    out.code = ErrorCode::kNotFound;
  } else if (one_of(t, {"PurgeQueueInProgress", "QueueDeletedRecently", "OverLimit"})) {
    out.code = ErrorCode::kThrottled;  // SQS: allowed again later (60 s, fewer in-flight messages)
  } else if (one_of(t, {"QueueAlreadyExists", "QueueNameExists"})) {
    out.code = ErrorCode::kConditionFailed;
  } else if (classify(error) == RetryKind::kThrottling) {
    out.code = ErrorCode::kThrottled;
  } else if (classify(error) == RetryKind::kTransient || error.status >= 500) {
    out.code = ErrorCode::kUnavailable;
  } else {
    out.code = ErrorCode::kInternal;
  }
  return out;
}

RetryStrategy::RetryStrategy(RetryOptions options, unsigned seed)
    : options_(options), quota_(options.quota_capacity), rng_(seed) {}

int RetryStrategy::quota() const {
  std::lock_guard lock(mutex_);
  return quota_;
}

bool RetryStrategy::acquire(int cost) {
  std::lock_guard lock(mutex_);
  if (quota_ < cost) return false;
  quota_ -= cost;
  return true;
}

void RetryStrategy::release(int amount) {
  std::lock_guard lock(mutex_);
  quota_ = std::min(options_.quota_capacity, quota_ + amount);
}

std::chrono::milliseconds RetryStrategy::backoff(int retry, RetryKind kind) {
  double base = static_cast<double>(kind == RetryKind::kThrottling
                                        ? options_.throttling_base_delay.count()
                                        : options_.base_delay.count());
  double cap = std::min(static_cast<double>(options_.max_backoff.count()),
                        base * std::pow(2.0, retry));
  double r;
  {
    std::lock_guard lock(mutex_);
    r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  return std::chrono::milliseconds(static_cast<long long>(r * cap));
}

model::Result<HttpResponse> RetryStrategy::run(
    const std::function<model::Result<HttpResponse>()>& attempt,
    const std::function<void(std::chrono::milliseconds)>& sleep) {
  int last_cost = 0;
  for (int n = 1;; ++n) {
    model::Result<HttpResponse> r = attempt();
    RetryKind kind;
    if (r.ok()) {
      if (r->status >= 200 && r->status < 300) {
        release(last_cost > 0 ? last_cost : 1);
        return r;
      }
      kind = classify(parse_aws_error(*r));
    } else {
      kind = classify_transport(r.error());
    }
    if (kind == RetryKind::kNone || n >= options_.max_attempts) return r;
    int cost = kind == RetryKind::kTimeout ? options_.timeout_retry_cost : options_.retry_cost;
    if (!acquire(cost)) return r;  // quota exhausted: give up now
    last_cost = cost;
    sleep(backoff(n - 1, kind));
  }
}

}  // namespace cartflow::aws
