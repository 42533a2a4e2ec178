// SPDX-License-Identifier: Apache-2.0
#pragma once

// The record Lambda sends to a stream mapping's on-failure destination when it discards a
// batch (retries exhausted or records too old). It describes the batch; it does not carry the
// records (a consumer reads them from the stream by sequence number while they are retained):
//   {"requestContext":{"requestId","functionArn","condition","approximateInvokeCount"},
//    "responseContext":{"statusCode","executedVersion","functionError"?},
//    "version":"1.0","timestamp":"<ISO-8601>",
//    "DDBStreamBatchInfo":{"shardId","startSequenceNumber","endSequenceNumber",
//      "approximateArrivalOfFirstRecord","approximateArrivalOfLastRecord","batchSize",
//      "streamArn"}}
// Pure, thread-safe.

#include <cstdint>
#include <string>

namespace cartflow::platform {

struct OnFailureInfo {
  std::string request_id;
  std::string function_arn;
  std::string condition;  // "RetryAttemptsExhausted" or "RecordAgeExceeded"
  int approximate_invoke_count = 0;
  bool function_error = true;  // adds responseContext.functionError "Unhandled"
  std::int64_t timestamp_ms = 0;
  std::string shard_id;
  std::string start_sequence_number;
  std::string end_sequence_number;
  std::int64_t first_arrival_ms = 0;
  std::int64_t last_arrival_ms = 0;
  std::size_t batch_size = 0;
  std::string stream_arn;
};

std::string on_failure_record_json(const OnFailureInfo& info);

// "2019-11-14T00:38:06.021Z" (UTC, milliseconds).
std::string iso8601_ms(std::int64_t unix_ms);

}  // namespace cartflow::platform
