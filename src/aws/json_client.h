// SPDX-License-Identifier: Apache-2.0
#pragma once

// JsonClient: calls one AWS service over its JSON protocol (POST /, X-Amz-Target, SigV4),
// with the SDKs' standard retries, and turns error responses into model::Error.
// Thread-safe; the HttpClient and CredentialsProvider must outlive it.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/http_client.h"
#include "aws/retry.h"
#include "model/result.h"

namespace cartflow::aws {

struct JsonProtocol {
  std::string target_prefix;  // "DynamoDB_20120810", "DynamoDBStreams_20120810", "AmazonSQS"
  std::string content_type;   // "application/x-amz-json-1.0"
};

class JsonClient {
 public:
  JsonClient(HttpClient& http, CredentialsProvider& credentials, ServiceEndpoint endpoint,
             JsonProtocol protocol, RetryOptions retry = {});

  // Sends `body` (a JSON object) as `operation` and returns the response body of a 2xx answer.
  // Fails with the mapped AWS error (see to_model_error), or kUnavailable when the endpoint
  // stays unreachable after the retries.
  model::Result<std::string> call(std::string_view operation, const std::string& body);

  // Replaces the sleep between attempts (tests).
  void set_sleep(std::function<void(std::chrono::milliseconds)> sleep) { sleep_ = std::move(sleep); }
  RetryStrategy& retry() { return retry_; }
  const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  HttpClient& http_;
  CredentialsProvider& credentials_;
  ServiceEndpoint endpoint_;
  JsonProtocol protocol_;
  RetryStrategy retry_;
  std::function<void(std::chrono::milliseconds)> sleep_;
};

}  // namespace cartflow::aws
