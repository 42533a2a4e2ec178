// SPDX-License-Identifier: Apache-2.0
#pragma once

// FakeShardedStream: a ports::ShardedChangeStream in memory, for the lease coordinator's tests.
// Shards are appended to and closed by the test; a shard view's position is the number of its
// records read ("" = 0), or "end" once a closed shard was read to its end. Records carry
// NewImage {PK: id} and sequence numbers unique across shards. Thread-safe.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ports/shard_stream.h"

namespace cartflow::platform::testing {

class FakeShardedStream final : public ports::ShardedChangeStream {
 public:
  void add_shard(const std::string& id, std::vector<std::string> parents = {}) {
    std::lock_guard lock(mutex_);
    shards_[id].parents = std::move(parents);
  }
  void append(const std::string& shard, const std::string& pk) {
    std::lock_guard lock(mutex_);
    ports::StreamRecord r;
    r.event_id = pk;
    r.sequence_number = std::to_string(++sequence_);
    r.keys = {{"PK", model::AttributeValue(pk)}};
    r.new_image = r.keys;
    r.approximate_creation_ms = 1'700'000'000'000;
    shards_[shard].records.push_back(std::move(r));
  }
  void remove(const std::string& shard) {  // trimmed
    std::lock_guard lock(mutex_);
    shards_.erase(shard);
  }
  void close(const std::string& shard) {
    std::lock_guard lock(mutex_);
    shards_[shard].closed = true;
  }

  model::Result<std::vector<ports::ShardDescription>> list_shards() override {
    std::lock_guard lock(mutex_);
    std::vector<ports::ShardDescription> out;
    for (const auto& [id, s] : shards_) out.push_back({id, s.parents, s.closed});
    return out;
  }

  std::unique_ptr<ports::ChangeStream> open_shard(const std::string& id) override {
    return std::make_unique<View>(*this, id);
  }

  std::string checkpoint_of(const std::string& shard,
                            const ports::StreamPosition& position) const override {
    if (position.token == "end") return ports::kShardEnd;
    const std::size_t n = position.token.empty() ? 0 : std::stoul(position.token);
    if (n == 0) return ports::kTrimHorizon;
    std::lock_guard lock(mutex_);
    return shards_.at(shard).records.at(n - 1).sequence_number;
  }

  ports::StreamPosition position_at(const std::string& shard,
                                    const std::string& checkpoint) const override {
    if (checkpoint == ports::kShardEnd) return {"end"};
    if (checkpoint == ports::kTrimHorizon) return {""};
    std::lock_guard lock(mutex_);
    const auto& records = shards_.at(shard).records;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i].sequence_number == checkpoint) return {std::to_string(i + 1)};
    }
    return {""};
  }

 private:
  struct Shard {
    std::vector<std::string> parents;
    std::vector<ports::StreamRecord> records;
    bool closed = false;
  };

  class View final : public ports::ChangeStream {
   public:
    View(FakeShardedStream& stream, std::string id) : stream_(stream), id_(std::move(id)) {}
    model::Result<ports::StreamPosition> latest() override {
      std::lock_guard lock(stream_.mutex_);
      auto s = stream_.shards_.find(id_);
      return ports::StreamPosition{std::to_string(s == stream_.shards_.end() ? 0 : s->second.records.size())};
    }
    model::Result<ports::StreamBatch> read(const ports::StreamPosition& after, std::size_t limit,
                                           std::chrono::milliseconds wait) override {
      const auto deadline = std::chrono::steady_clock::now() + wait;
      for (;;) {
        if (after.token == "end") return ports::StreamBatch{{}, after};
        const std::size_t from = after.token.empty() ? 0 : std::stoul(after.token);
        {
          std::lock_guard lock(stream_.mutex_);
          static const Shard kGone;  // an unknown (trimmed) shard reads as empty
          auto found = stream_.shards_.find(id_);
          const Shard& s = found == stream_.shards_.end() ? kGone : found->second;
          ports::StreamBatch batch{{}, after};
          for (std::size_t i = from; i < s.records.size() && batch.records.size() < limit; ++i) {
            batch.records.push_back(s.records[i]);
          }
          const std::size_t to = from + batch.records.size();
          if (!batch.records.empty()) batch.next = {std::to_string(to)};
          if (to == s.records.size() && s.closed && batch.records.empty()) batch.next = {"end"};
          if (!batch.records.empty() || batch.next.token == "end") return batch;
        }
        if (std::chrono::steady_clock::now() >= deadline) return ports::StreamBatch{{}, after};
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }

   private:
    FakeShardedStream& stream_;
    const std::string id_;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Shard> shards_;  // GUARDED_BY(mutex_)
  long sequence_ = 0;                    // GUARDED_BY(mutex_)
};

}  // namespace cartflow::platform::testing
