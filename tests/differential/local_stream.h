// SPDX-License-Identifier: Apache-2.0
#pragma once

// A minimal reader of a table's whole stream on DynamoDB Local, over raw DynamoDB Streams calls
// (ListStreams, DescribeStream, GetShardIterator TRIM_HORIZON, GetRecords), for comparing it
// with the embedded change stream. Test-only: no paging of shards, no retries beyond the
// JsonClient's own.

#include <optional>
#include <string>
#include <vector>

#include "aws/json_client.h"
#include "model/attribute_value.h"
#include "model/result.h"
#include "ports/change_stream.h"

namespace cartflow::differential {

// What the comparison looks at: event name, keys and images, in stream order.
struct StreamEntry {
  std::string event_name;
  model::Item keys;
  std::optional<model::Item> new_image;
  std::optional<model::Item> old_image;
  bool operator==(const StreamEntry&) const = default;
};

StreamEntry entry_of(const ports::StreamRecord& record);
// The entry as DynamoDB Local writes it: NULL and empty maps both become {} there, read back as
// NULL (docs/KNOWN_DIFFERENCES.md, "NULL and empty maps in stream records").
StreamEntry normalized(StreamEntry entry);
std::string describe(const StreamEntry& entry);

// Every record of `table_name`'s stream, in sequence number order. `streams` speaks the
// "DynamoDBStreams_20120810" protocol to DynamoDB Local.
model::Result<std::vector<StreamEntry>> read_local_stream(aws::JsonClient& streams,
                                                          const std::string& table_name);

}  // namespace cartflow::differential
