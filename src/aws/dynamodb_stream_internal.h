// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to DynamoDbChangeStream: position tokens and the Streams API's JSON. Pure functions,
// thread-safe.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "ports/change_stream.h"

namespace cartflow::aws::detail {

// A decoded position token: {"c":shard,"d":[finished shards],"s":{shard:sequence}}, members
// omitted when empty; the empty cursor is the empty token.
struct StreamCursor {
  std::map<std::string, std::string> sequences;  // shard -> last SequenceNumber delivered
  std::set<std::string> finished;                // read to their end
  std::string current;                           // shard that delivered last ("" none)
  bool operator==(const StreamCursor&) const = default;
};
std::string encode_cursor(const StreamCursor& cursor);
// kInvalidArgument for a token that is not one of ours.
model::Result<StreamCursor> decode_cursor(const std::string& token);

struct ShardInfo {
  std::string id;
  std::string parent;   // "" when none
  bool closed = false;  // has an EndingSequenceNumber
};

// One DescribeStream page: its shards, and LastEvaluatedShardId ("" on the last page).
struct ShardPage {
  std::vector<ShardInfo> shards;
  std::string last_evaluated;
};
model::Result<ShardPage> parse_describe_stream(std::string_view json);

// One GetRecords answer; next_iterator absent when the shard is closed and read to its end.
struct RecordsPage {
  std::vector<ports::StreamRecord> records;
  std::optional<std::string> next_iterator;
};
// Records as ports::StreamRecord: ApproximateCreationDateTime (epoch seconds, maybe
// fractional) -> ms; `default_view` when a record has no StreamViewType.
model::Result<RecordsPage> parse_get_records(std::string_view json,
                                             ports::StreamViewType default_view);

// "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES" -> the enum; kNone otherwise.
ports::StreamViewType parse_stream_view_type(std::string_view name);

// Request bodies.
std::string describe_stream_request(const std::string& arn, const std::string& start_shard);
// `type` "TRIM_HORIZON", "LATEST" or "AFTER_SEQUENCE_NUMBER" (with `sequence`).
std::string get_shard_iterator_request(const std::string& arn, const std::string& shard,
                                       const char* type, const std::string& sequence);
std::string get_records_request(const std::string& iterator, std::size_t limit);
// The ShardIterator of a GetShardIterator answer.
model::Result<std::string> parse_shard_iterator(std::string_view json);

}  // namespace cartflow::aws::detail
