// SPDX-License-Identifier: Apache-2.0
#include "platform/stream_mapping_failure.h"

#include <cstdio>
#include <ctime>

#include "model/dynamo_json.h"

namespace cartflow::platform {

std::string iso8601_ms(std::int64_t unix_ms) {
  std::int64_t secs = unix_ms / 1000;
  std::int64_t ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms));
  return buf;
}

std::string on_failure_record_json(const OnFailureInfo& i) {
  using model::append_json_string;
  std::string o = "{\"requestContext\":{\"requestId\":";
  append_json_string(o, i.request_id);
  o += ",\"functionArn\":";
  append_json_string(o, i.function_arn);
  o += ",\"condition\":";
  append_json_string(o, i.condition);
  o += ",\"approximateInvokeCount\":" + std::to_string(i.approximate_invoke_count);
  o += "},\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\"";
  if (i.function_error) o += ",\"functionError\":\"Unhandled\"";
  o += "},\"version\":\"1.0\",\"timestamp\":";
  append_json_string(o, iso8601_ms(i.timestamp_ms));
  o += ",\"DDBStreamBatchInfo\":{\"shardId\":";
  append_json_string(o, i.shard_id);
  o += ",\"startSequenceNumber\":";
  append_json_string(o, i.start_sequence_number);
  o += ",\"endSequenceNumber\":";
  append_json_string(o, i.end_sequence_number);
  o += ",\"approximateArrivalOfFirstRecord\":";
  append_json_string(o, iso8601_ms(i.first_arrival_ms));
  o += ",\"approximateArrivalOfLastRecord\":";
  append_json_string(o, iso8601_ms(i.last_arrival_ms));
  o += ",\"batchSize\":" + std::to_string(i.batch_size);
  o += ",\"streamArn\":";
  append_json_string(o, i.stream_arn);
  o += "}}";
  return o;
}

}  // namespace cartflow::platform
