// SPDX-License-Identifier: Apache-2.0
#include "aws/dynamodb_shards.h"

#include "aws/dynamodb_stream.h"

namespace cartflow::aws {

DynamoDbShardedStream::DynamoDbShardedStream(JsonClient& streams, std::string stream_arn,
                                             ports::StreamViewType view_type,
                                             std::chrono::milliseconds poll_interval)
    : client_(streams),
      arn_(std::move(stream_arn)),
      view_type_(view_type),
      poll_interval_(poll_interval) {}

model::Result<std::vector<ports::ShardDescription>> DynamoDbShardedStream::list_shards() {
  auto listed = describe_shards(client_, arn_);
  if (!listed) return std::move(listed).error();
  std::vector<ports::ShardDescription> out;
  for (auto& s : *listed) {
    ports::ShardDescription d{std::move(s.id), {}, s.closed};
    if (!s.parent.empty()) d.parents.push_back(std::move(s.parent));
    out.push_back(std::move(d));
  }
  return out;
}

std::unique_ptr<ports::ChangeStream> DynamoDbShardedStream::open_shard(const std::string& id) {
  return std::make_unique<DynamoDbChangeStream>(client_, arn_, view_type_, poll_interval_, id);
}

std::string DynamoDbShardedStream::checkpoint_of(const std::string& shard,
                                                 const ports::StreamPosition& position) const {
  auto cursor = detail::decode_cursor(position.token);
  if (!cursor) return ports::kTrimHorizon;
  if (cursor->finished.count(shard)) return ports::kShardEnd;
  auto seq = cursor->sequences.find(shard);
  return seq == cursor->sequences.end() ? std::string(ports::kTrimHorizon) : seq->second;
}

ports::StreamPosition DynamoDbShardedStream::position_at(const std::string& shard,
                                                         const std::string& checkpoint) const {
  detail::StreamCursor cursor;
  if (checkpoint == ports::kShardEnd) {
    cursor.finished.insert(shard);
  } else if (checkpoint != ports::kTrimHorizon && !checkpoint.empty()) {
    cursor.sequences[shard] = checkpoint;
    cursor.current = shard;
  }
  return ports::StreamPosition{detail::encode_cursor(cursor)};
}

}  // namespace cartflow::aws
