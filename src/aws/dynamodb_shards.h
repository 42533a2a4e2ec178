// SPDX-License-Identifier: Apache-2.0
#pragma once

// DynamoDbShardedStream: ports::ShardedChangeStream over one DynamoDB stream. list_shards() is
// one DescribeStream (all pages); open_shard() is a DynamoDbChangeStream restricted to that
// shard, whose position tokens hold that shard alone, so a checkpoint is the shard's last
// SequenceNumber (or TRIM_HORIZON, SHARD_END). Thread-safe; the JsonClient (Streams protocol)
// must outlive the object and its views.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "aws/json_client.h"
#include "ports/shard_stream.h"
#include "ports/table.h"

namespace cartflow::aws {

class DynamoDbShardedStream final : public ports::ShardedChangeStream {
 public:
  DynamoDbShardedStream(JsonClient& streams, std::string stream_arn, ports::StreamViewType view_type,
                        std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));

  model::Result<std::vector<ports::ShardDescription>> list_shards() override;
  std::unique_ptr<ports::ChangeStream> open_shard(const std::string& id) override;
  std::string checkpoint_of(const std::string& shard,
                            const ports::StreamPosition& position) const override;
  ports::StreamPosition position_at(const std::string& shard,
                                    const std::string& checkpoint) const override;

  const std::string& arn() const { return arn_; }

 private:
  JsonClient& client_;
  const std::string arn_;
  const ports::StreamViewType view_type_;
  const std::chrono::milliseconds poll_interval_;
};

}  // namespace cartflow::aws
