// SPDX-License-Identifier: Apache-2.0
#include "aws/dynamodb_stream.h"

#include <algorithm>
#include <thread>

namespace cartflow::aws {

using detail::StreamCursor;
using model::Error;
using model::Result;
using model::Status;

namespace {

constexpr std::size_t kMaxGetRecordsLimit = 1000;  // GetRecords' own maximum
constexpr int kExpiredRenewals = 3;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// TrimmedDataAccessException reaches us as kInvalidArgument (to_model_error); the port says
// kNotFound.
Error trimmed_or(Error e) {
  if (starts_with(e.message, "TrimmedDataAccessException")) return Error::not_found(std::move(e.message));
  return e;
}

void finish(StreamCursor& c, const std::string& shard) {
  c.sequences.erase(shard);
  c.finished.insert(shard);
}

}  // namespace

DynamoDbChangeStream::DynamoDbChangeStream(JsonClient& streams, std::string stream_arn,
                                           ports::StreamViewType view_type,
                                           std::chrono::milliseconds poll_interval,
                                           std::string only_shard)
    : client_(streams),
      arn_(std::move(stream_arn)),
      only_shard_(std::move(only_shard)),
      view_type_(view_type),
      poll_interval_(std::max(poll_interval, std::chrono::milliseconds(1))) {}

Result<std::vector<detail::ShardInfo>> describe_shards(JsonClient& streams, const std::string& arn) {
  std::vector<detail::ShardInfo> shards;
  std::string start;
  do {
    auto response = streams.call("DescribeStream", detail::describe_stream_request(arn, start));
    if (!response) return std::move(response).error();
    auto page = detail::parse_describe_stream(*response);
    if (!page) return std::move(page).error();
    for (auto& s : page->shards) shards.push_back(std::move(s));
    start = std::move(page->last_evaluated);
  } while (!start.empty());
  return shards;
}

Status DynamoDbChangeStream::list_shards(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (listed_ && !force && now - listed_at_ < kShardListTtl) return {};
  auto listed = describe_shards(client_, arn_);
  if (!listed) return std::move(listed).error();
  std::map<std::string, detail::ShardInfo> shards;
  for (auto& s : *listed) shards[s.id] = std::move(s);
  shards_ = std::move(shards);
  listed_ = true;
  listed_at_ = now;
  return {};
}

// A position naming a shard we do not list is listed again first (the shard may be newer than
// our list); an unfinished shard still missing then was trimmed before it was read to its end.
Status DynamoDbChangeStream::check_shards(const StreamCursor& cursor) {
  auto unknown = [&] {
    for (const auto& [id, seq] : cursor.sequences) {
      if (!shards_.count(id)) return id;
    }
    return std::string();
  };
  if (unknown().empty()) return {};
  if (auto s = list_shards(true); !s) return s;
  if (std::string id = unknown(); !id.empty()) {
    return Error::not_found("TrimmedDataAccessException: shard " + id +
                            " of the position is no longer in the stream");
  }
  return {};
}

// Readable shards in the order of one pass: not finished, parent finished or not listed;
// by shard id, starting after the shard that delivered last.
std::vector<std::string> DynamoDbChangeStream::readable(const StreamCursor& cursor) const {
  std::vector<std::string> out;
  if (!only_shard_.empty()) {
    if (shards_.count(only_shard_) && !cursor.finished.count(only_shard_)) out.push_back(only_shard_);
    return out;
  }
  for (const auto& [id, info] : shards_) {
    if (cursor.finished.count(id)) continue;
    if (!info.parent.empty() && shards_.count(info.parent) && !cursor.finished.count(info.parent)) {
      continue;
    }
    out.push_back(id);
  }
  auto first = std::upper_bound(out.begin(), out.end(), cursor.current);
  std::rotate(out.begin(), first == out.end() ? out.begin() : first, out.end());
  return out;
}

// Finished shards no longer listed are left out: they were trimmed, and their children are
// readable without them.
std::string DynamoDbChangeStream::encode_pruned(StreamCursor cursor) const {
  std::erase_if(cursor.finished,
                [&](const std::string& id) { return id != only_shard_ && !shards_.count(id); });
  return detail::encode_cursor(cursor);
}

Result<std::string> DynamoDbChangeStream::iterator_for(const std::string& shard,
                                                       const StreamCursor& cursor) {
  auto seq = cursor.sequences.find(shard);
  bool after = seq != cursor.sequences.end();
  auto response = client_.call(
      "GetShardIterator",
      detail::get_shard_iterator_request(arn_, shard, after ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON",
                                         after ? seq->second : std::string()));
  if (!response) return trimmed_or(std::move(response).error());
  return detail::parse_shard_iterator(*response);
}

Result<detail::RecordsPage> DynamoDbChangeStream::get_records(const std::string& shard,
                                                              std::string& iterator,
                                                              const StreamCursor& cursor,
                                                              std::size_t limit) {
  std::string body;
  for (int renewal = 0;; ++renewal) {
    if (iterator.empty()) {
      auto fresh = iterator_for(shard, cursor);
      if (!fresh) return std::move(fresh).error();
      iterator = std::move(fresh).value();
    }
    auto response = client_.call("GetRecords", detail::get_records_request(
                                                   iterator, std::min(limit, kMaxGetRecordsLimit)));
    if (response) return detail::parse_get_records(*response, view_type_);
    Error e = trimmed_or(std::move(response).error());
    if (!starts_with(e.message, "ExpiredIteratorException") || renewal >= kExpiredRenewals) return e;
    iterator.clear();  // expired (15 minutes): a new one from the position's sequence number
  }
}

// One GetRecords per readable shard while records are wanted.
Result<DynamoDbChangeStream::Pass> DynamoDbChangeStream::pass(StreamCursor& cursor,
                                                              Iterators& iterators,
                                                              std::size_t limit) {
  Pass out;
  for (const std::string& shard : readable(cursor)) {
    if (out.records.size() >= limit) break;
    std::string iterator = iterators.count(shard) ? iterators[shard] : std::string();
    auto page = get_records(shard, iterator, cursor, limit - out.records.size());
    if (!page) return std::move(page).error();
    const bool ended = !page->next_iterator;
    for (std::size_t i = 0; i < page->records.size(); ++i) {
      cursor.sequences[shard] = page->records[i].sequence_number;
      cursor.current = shard;
      if (ended && i + 1 == page->records.size()) finish(cursor, shard);
      out.nexts.push_back(encode_pruned(cursor));
      out.records.push_back(std::move(page->records[i]));
    }
    if (ended) {
      finish(cursor, shard);
      iterators.erase(shard);
      out.finished_shard = true;
    } else {
      iterators[shard] = std::move(*page->next_iterator);
    }
  }
  return out;
}

void DynamoDbChangeStream::remember_iterators(const std::string& token, StreamCursor cursor,
                                              Iterators iterators) {
  auto [it, inserted] = iterators_.insert_or_assign(token, Cached{std::move(cursor), std::move(iterators)});
  if (!inserted) return;
  iterator_order_.push_back(token);
  while (iterator_order_.size() > kIteratorPositions) {
    iterators_.erase(iterator_order_.front());
    iterator_order_.pop_front();
  }
}

void DynamoDbChangeStream::remember_edges(const std::string& from,
                                          const std::vector<ports::StreamRecord>& records,
                                          const std::vector<std::string>& nexts) {
  const std::string* before = &from;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (replay_.emplace(*before, Edge{records[i], nexts[i]}).second) {
      replay_order_.push_back(*before);
      replay_bytes_ += records[i].size_bytes;
    }
    before = &nexts[i];
  }
  while (!replay_order_.empty() &&
         (replay_order_.size() > kReplayRecords || replay_bytes_ > kReplayBytes)) {
    auto e = replay_.find(replay_order_.front());
    replay_bytes_ -= e->second.record.size_bytes;
    replay_.erase(e);
    replay_order_.pop_front();
  }
}

Result<ports::StreamPosition> DynamoDbChangeStream::latest() {
  std::lock_guard lock(mutex_);
  if (auto s = list_shards(true); !s) return std::move(s).error();
  StreamCursor cursor;
  Iterators iterators;
  for (const auto& [id, info] : shards_) {
    if (!only_shard_.empty() && id != only_shard_) continue;
    if (info.closed) {
      cursor.finished.insert(id);
      continue;
    }
    std::string iterator;
    for (;;) {
      auto page = get_records(id, iterator, cursor, kMaxGetRecordsLimit);
      if (!page) return std::move(page).error();
      if (!page->records.empty()) cursor.sequences[id] = page->records.back().sequence_number;
      if (!page->next_iterator) {
        finish(cursor, id);
        break;
      }
      iterator = std::move(*page->next_iterator);
      if (page->records.empty()) {
        iterators[id] = std::move(iterator);
        break;
      }
    }
  }
  std::string token = encode_pruned(cursor);
  remember_iterators(token, std::move(cursor), std::move(iterators));
  return ports::StreamPosition{token};
}

Result<ports::StreamBatch> DynamoDbChangeStream::read(const ports::StreamPosition& after,
                                                      std::size_t limit,
                                                      std::chrono::milliseconds wait) {
  auto decoded = detail::decode_cursor(after.token);
  if (!decoded) return std::move(decoded).error();
  if (limit == 0) return ports::StreamBatch{{}, after};
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::unique_lock lock(mutex_);
  auto batch = read_locked(lock, after, std::move(decoded).value(), limit, deadline);
  if (!batch && batch.error().code == model::ErrorCode::kNotFound) {
    // Records were trimmed: what we remember may be gone from the stream. Forget it; a read
    // that began with remembered records is done again from the stream itself.
    bool replayed = replay_.count(after.token) > 0;
    replay_.clear();
    replay_order_.clear();
    replay_bytes_ = 0;
    iterators_.clear();
    iterator_order_.clear();
    if (replayed) {
      auto again = detail::decode_cursor(after.token);
      batch = read_locked(lock, after, std::move(again).value(), limit, deadline);
    }
  }
  return batch;
}

Result<ports::StreamBatch> DynamoDbChangeStream::read_locked(std::unique_lock<std::mutex>& lock,
                                                             const ports::StreamPosition& after,
                                                             StreamCursor decoded, std::size_t limit,
                                                             std::chrono::steady_clock::time_point deadline) {
  ports::StreamBatch batch{{}, after};
  // Records already returned from this position come back the same.
  std::string token = after.token;
  for (auto e = replay_.find(token); e != replay_.end() && batch.records.size() < limit;
       e = replay_.find(token)) {
    batch.records.push_back(e->second.record);
    token = e->second.next;
  }
  batch.next.token = token;
  if (batch.records.size() == limit) return batch;

  StreamCursor cursor;
  Iterators iterators;
  if (auto cached = iterators_.find(token); cached != iterators_.end()) {
    cursor = cached->second.cursor;
    iterators = cached->second.iterators;
  } else if (token == after.token) {
    cursor = std::move(decoded);
  } else {
    auto c = detail::decode_cursor(token);
    if (!c) return std::move(c).error();
    cursor = std::move(c).value();
  }
  Pass live;
  bool finished_any = false;  // a shard ended, maybe without a record: the position moves
  for (;;) {
    if (auto s = list_shards(false); !s) return std::move(s).error();
    if (auto s = check_shards(cursor); !s) return std::move(s).error();
    auto p = pass(cursor, iterators, limit - batch.records.size() - live.records.size());
    if (!p) {
      iterators_.erase(token);  // maybe stale: the next read starts afresh
      return std::move(p).error();
    }
    for (std::size_t i = 0; i < p->records.size(); ++i) {
      live.records.push_back(std::move(p->records[i]));
      live.nexts.push_back(std::move(p->nexts[i]));
    }
    finished_any = finished_any || p->finished_shard;
    const std::size_t have = batch.records.size() + live.records.size();
    if (p->finished_shard && have < limit) {
      // Children of the finished shard may be readable now.
      if (auto s = list_shards(true); !s) return std::move(s).error();
      continue;
    }
    auto now = std::chrono::steady_clock::now();
    if (have > 0 || finished_any || now >= deadline) break;
    lock.unlock();
    std::this_thread::sleep_for(
        std::min(poll_interval_, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                                     std::chrono::milliseconds(1)));
    lock.lock();
  }
  if (!live.records.empty()) {
    remember_edges(token, live.records, live.nexts);
    batch.next.token = live.nexts.back();
    for (auto& r : live.records) batch.records.push_back(std::move(r));
  } else if (finished_any) {
    batch.next.token = encode_pruned(cursor);
  }
  remember_iterators(batch.next.token, std::move(cursor), std::move(iterators));
  return batch;
}

}  // namespace cartflow::aws
