// SPDX-License-Identifier: Apache-2.0
#pragma once

// The partial batch response a function returns when its event source mapping has
// FunctionResponseTypes [ReportBatchItemFailures]:
//   {"batchItemFailures": [{"itemIdentifier": "<id>"}, ...]}
// For SQS the identifier is the failed record's messageId (each listed message comes back);
// for DynamoDB streams it is the SequenceNumber of the first record to retry (the stream
// checkpoints before it). An empty list means the whole batch succeeded. Pure, thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace cartflow::events {

struct BatchItemFailure {
  std::string item_identifier;
  bool operator==(const BatchItemFailure&) const = default;
};

struct BatchResponse {
  std::vector<BatchItemFailure> batch_item_failures;
  bool operator==(const BatchResponse&) const = default;
};

// Compact JSON; always writes the array, empty when nothing failed.
std::string to_json(const BatchResponse& response);

// Parses a response as Lambda reads it (what the local event source mapping does with a
// function's answer). Lambda's rules: an empty document, `null`, `{}` or an empty/null
// batchItemFailures all mean success. Fails with kInvalidArgument (Lambda then treats the whole
// batch as failed) when the JSON is invalid, batchItemFailures is not an array, an entry is not
// an object, or an itemIdentifier is missing, null, empty or not a string.
model::Result<BatchResponse> parse_batch_response(std::string_view json);

}  // namespace cartflow::events
