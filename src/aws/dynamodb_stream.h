// SPDX-License-Identifier: Apache-2.0
#pragma once

// DynamoDbChangeStream: the ChangeStream port over the DynamoDB Streams API (DescribeStream,
// GetShardIterator, GetRecords) of one stream, read as one ordered change log.
//
// Positions: a token is compact JSON {"c":shard,"d":[finished shards],"s":{shard:sequence}}:
// per shard the SequenceNumber of the last record delivered, the shards read to their end, and
// the shard that delivered last ("c", where the next read starts its round, so that a busy shard
// does not starve the others). The empty token is TRIM_HORIZON of every shard. Finished shards
// that DescribeStream no longer lists are dropped from the tokens written.
//
// read(): the shard list (DescribeStream, paginated) is cached and listed again when a shard
// ends, when a position names a shard not listed, and at least every kShardListTtl. Parents go
// before children: a shard is read only when its parent is finished in the position or no
// longer listed. Each pass makes one GetRecords (Limit: what is left of `limit`) per readable
// shard, from a cached iterator, else GetShardIterator AFTER_SEQUENCE_NUMBER (the position's
// sequence) or TRIM_HORIZON. A shard whose GetRecords has no NextShardIterator is finished.
// ExpiredIteratorException: a new iterator from the position's sequence, and GetRecords again.
// TrimmedDataAccessException, or an unfinished shard of the position no longer listed:
// kNotFound "TrimmedDataAccessException: ..." (and the cached iterators and remembered records
// below are dropped; a read that began with remembered records is redone from the stream, so
// TRIM_HORIZON really is the oldest retained record). With no record, passes repeat every
// poll_interval until `wait` has passed (GetRecords does not long-poll), then an empty batch
// with next == after. Iterators are cached per position (the last kIteratorPositions
// positions returned), so a steady reader costs one GetRecords per read and open shard.
//
// A shard that ends moves the position even when its last GetRecords has no record: the batch
// is then empty and its `next` differs from `after`.
//
// One shard alone (`only_shard`, for the lease coordinator: ports/shard_stream.h): read() and
// latest() see that shard only and do not wait for its parent; it stays in the tokens once
// finished even when DescribeStream no longer lists it; a shard not listed reads as empty.
//
// Re-reads: the records returned are remembered (the last kReplayRecords, at most
// kReplayBytes of SizeBytes) as edges position -> (record, next position); a read from a
// remembered position returns the same records again before reading further, so a reader that
// re-reads a prefix of a batch (StreamMapping commits that way) gets exactly that prefix and
// its position. Without that memory (a new object), reads are live and still start exactly
// after the position.
//
// latest(): a LATEST iterator cannot be stored (it names no sequence number and expires), so
// closed shards count as finished and each open shard is read from TRIM_HORIZON until a
// GetRecords returns no record (one GetRecords per 1000 retained records); the position takes
// its last SequenceNumber, and the final iterator is cached for the first read. On AWS an
// empty GetRecords may come before the true end, so latest() may be earlier than the newest
// record (never later): no record written after latest() is skipped.
//
// Thread-safe (one mutex, released while a read waits between polls). The JsonClient (Streams
// protocol, signing name "dynamodb") must outlive the stream.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "aws/dynamodb_stream_internal.h"
#include "aws/json_client.h"
#include "model/result.h"
#include "ports/change_stream.h"

namespace cartflow::aws {

// {"DynamoDBStreams_20120810", "application/x-amz-json-1.0"}
JsonProtocol dynamodb_streams_protocol();

// The table's LatestStreamArn (DescribeTable on the DynamoDB client). kNotFound when the table
// does not exist or has no enabled stream.
model::Result<std::string> latest_stream_arn(JsonClient& dynamodb, const std::string& table_name);

// Every shard of the stream (DescribeStream, all pages), in the order listed. The JsonClient's
// errors (kNotFound for a stream that does not exist).
model::Result<std::vector<detail::ShardInfo>> describe_shards(JsonClient& streams,
                                                              const std::string& arn);

class DynamoDbChangeStream final : public ports::ChangeStream {
 public:
  static constexpr std::chrono::seconds kShardListTtl{60};
  static constexpr std::size_t kIteratorPositions = 16;
  static constexpr std::size_t kReplayRecords = 10000;
  static constexpr std::size_t kReplayBytes = 64u << 20;

  // `view_type` is given to records that do not carry a StreamViewType. `only_shard`: read that
  // shard alone (see above); empty: every shard.
  DynamoDbChangeStream(JsonClient& streams, std::string stream_arn, ports::StreamViewType view_type,
                       std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250),
                       std::string only_shard = {});

  model::Result<ports::StreamPosition> latest() override;
  ports::StreamPosition trim_horizon() const override { return {}; }
  // kInvalidArgument for a malformed position; kNotFound "TrimmedDataAccessException: ..." as
  // described above; the JsonClient's errors otherwise.
  model::Result<ports::StreamBatch> read(const ports::StreamPosition& after, std::size_t limit,
                                         std::chrono::milliseconds wait) override;

 private:
  using Iterators = std::map<std::string, std::string>;  // shard -> shard iterator
  struct Edge {
    ports::StreamRecord record;
    std::string next;
  };
  struct Pass {
    std::vector<ports::StreamRecord> records;
    std::vector<std::string> nexts;  // the token after each record
    bool finished_shard = false;
  };

  model::Result<ports::StreamBatch> read_locked(std::unique_lock<std::mutex>& lock,
                                                const ports::StreamPosition& after,
                                                detail::StreamCursor decoded, std::size_t limit,
                                                std::chrono::steady_clock::time_point deadline);
  model::Status list_shards(bool force);
  std::vector<std::string> readable(const detail::StreamCursor& cursor) const;
  model::Status check_shards(const detail::StreamCursor& cursor);
  model::Result<Pass> pass(detail::StreamCursor& cursor, Iterators& iterators, std::size_t limit);
  model::Result<std::string> iterator_for(const std::string& shard, const detail::StreamCursor& cursor);
  model::Result<detail::RecordsPage> get_records(const std::string& shard, std::string& iterator,
                                                 const detail::StreamCursor& cursor,
                                                 std::size_t limit);
  void remember_iterators(const std::string& token, detail::StreamCursor cursor, Iterators iterators);
  void remember_edges(const std::string& from, const std::vector<ports::StreamRecord>& records,
                      const std::vector<std::string>& nexts);
  std::string encode_pruned(detail::StreamCursor cursor) const;

  JsonClient& client_;
  const std::string arn_;
  const std::string only_shard_;
  const ports::StreamViewType view_type_;
  const std::chrono::milliseconds poll_interval_;

  std::mutex mutex_;
  std::map<std::string, detail::ShardInfo> shards_;  // GUARDED_BY(mutex_)
  std::chrono::steady_clock::time_point listed_at_;  // GUARDED_BY(mutex_)
  bool listed_ = false;                              // GUARDED_BY(mutex_)
  struct Cached {
    detail::StreamCursor cursor;
    Iterators iterators;
  };
  std::map<std::string, Cached> iterators_;  // GUARDED_BY(mutex_), token -> state
  std::deque<std::string> iterator_order_;   // GUARDED_BY(mutex_)
  std::map<std::string, Edge> replay_;       // GUARDED_BY(mutex_), token -> next record
  std::deque<std::string> replay_order_;     // GUARDED_BY(mutex_)
  std::size_t replay_bytes_ = 0;             // GUARDED_BY(mutex_)
};

}  // namespace cartflow::aws
