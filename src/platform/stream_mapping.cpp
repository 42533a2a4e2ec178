// SPDX-License-Identifier: Apache-2.0
#include "platform/stream_mapping.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <utility>

#include "events/batch_response.h"
#include "events/dynamodb_stream.h"
#include "platform/stream_mapping_failure.h"
#include "util/random.h"
#include "util/thread_name.h"

namespace cartflow::platform {

using model::Error;
using model::ErrorCode;
using model::Result;
using model::Status;

// Records read from `from` in one go; `done` counts the leading records already resolved (and
// checkpointed). Records are delivered in order, so "all before index k are resolved" is what
// a checkpoint after k records means.
struct StreamMapping::Pending {
  ports::StreamPosition from;
  ports::StreamPosition next;
  std::vector<ports::StreamRecord> records;
  std::vector<events::DynamoDbStreamRecord> lambda;
  std::vector<bool> matched;
  std::size_t done = 0;
  bool save_failed = false;
};

StreamMapping::StreamMapping(StreamMappingConfig config, ports::ChangeStream& stream,
                             CheckpointStore& checkpoints, functions::Handler& handler,
                             const ports::Clock& clock, events::FilterCriteria criteria,
                             const functions::Logger* logger)
    : config_(std::move(config)),
      stream_(stream),
      checkpoints_(checkpoints),
      handler_(handler),
      clock_(clock),
      criteria_(std::move(criteria)),
      own_logger_(logger == nullptr
                      ? std::make_unique<functions::Logger>("cartflow", functions::stderr_sink())
                      : nullptr),
      logger_(logger == nullptr ? *own_logger_ : *logger) {}

Result<std::unique_ptr<StreamMapping>> StreamMapping::create(StreamMappingConfig config,
                                                             ports::ChangeStream& stream,
                                                             CheckpointStore& checkpoints,
                                                             functions::Handler& handler,
                                                             const ports::Clock& clock,
                                                             const functions::Logger* logger) {
  if (auto s = validate(config); !s) return std::move(s).error();
  auto criteria = events::FilterCriteria::parse(config.filter_patterns);
  if (!criteria) return std::move(criteria).error();
  auto saved = checkpoints.load(config.mapping_id);
  if (!saved) return std::move(saved).error();
  ports::StreamPosition start;
  if (saved->has_value()) {
    start = **saved;
  } else {
    if (config.starting_position == StartingPosition::kLatest) {
      auto latest = stream.latest();
      if (!latest) return std::move(latest).error();
      start = *latest;
    } else {
      start = stream.trim_horizon();
    }
    if (auto s = checkpoints.save(config.mapping_id, start); !s) return std::move(s).error();
  }
  std::unique_ptr<StreamMapping> m(new StreamMapping(std::move(config), stream, checkpoints,
                                                     handler, clock, std::move(criteria).value(),
                                                     logger));
  m->checkpoint_ = std::move(start);
  return m;
}

StreamMapping::~StreamMapping() { stop(); }

void StreamMapping::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    util::name_this_thread("cf-stream-poll");
    run();
  });
}

void StreamMapping::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

ports::StreamPosition StreamMapping::checkpoint() const {
  std::lock_guard lock(mutex_);
  return checkpoint_;
}

void StreamMapping::run() {
  while (!stopping_) {
    auto n = poll_once();
    if (!n) {
      MappingStats::add(stats_.source_errors);
      logger_.log(functions::LogLevel::kError, nullptr, "stream mapping cannot read its stream",
                  {{"mapping", config_.mapping_id},
                   {"error", n.error().message},
                   {"error_type", model::error_code_name(n.error().code)}});
      sleep_backoff(1);
    }
  }
}

Result<std::size_t> StreamMapping::poll_once() {
  Pending p;
  p.from = checkpoint();
  const auto limit = static_cast<std::size_t>(config_.batch_size);
  auto batch = stream_.read(p.from, limit, config_.poll_wait);
  if (!batch) {
    if (batch.error().code == ErrorCode::kNotFound) {
      // The checkpoint points before trimmed records (they expired, as after 24 h on AWS):
      // continue from the oldest retained record.
      ports::StreamPosition horizon = stream_.trim_horizon();
      if (auto s = checkpoints_.save(config_.mapping_id, horizon); !s) return std::move(s).error();
      std::lock_guard lock(mutex_);
      checkpoint_ = std::move(horizon);
    }
    return std::move(batch).error();
  }
  p.records = std::move(batch->records);
  p.next = std::move(batch->next);
  if (p.records.empty()) {
    if (p.next == p.from) return std::size_t{0};
    // A shard ended without a record: keep that it did (a lease's SHARD_END).
    if (auto s = checkpoints_.save(config_.mapping_id, p.next); !s) return std::move(s).error();
    std::lock_guard lock(mutex_);
    checkpoint_ = std::move(p.next);
    return std::size_t{0};
  }

  // MaximumBatchingWindowInSeconds: gather more records until the batch is full or the window
  // (real time, from the first record) closes.
  if (config_.maximum_batching_window_seconds > 0) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(config_.maximum_batching_window_seconds);
    while (p.records.size() < limit && !stopping_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      auto more = stream_.read(p.next, limit - p.records.size(), std::min(left, config_.poll_wait));
      if (!more) break;  // deliver what we have; the error shows up on the next read
      for (auto& r : more->records) p.records.push_back(std::move(r));
      p.next = std::move(more->next);
    }
  }

  const std::size_t n = p.records.size();
  events::DynamoDbStreamEvent all;
  for (const auto& r : p.records) {
    all.records.push_back(
        events::to_lambda_record(r, config_.aws_region, config_.event_source_arn));
  }
  p.matched.assign(n, true);
  if (!criteria_.empty()) {
    auto bits = criteria_.match_records(events::to_json(all));
    if (bits && bits->size() == n) p.matched = std::move(bits).value();
  }
  p.lambda = std::move(all.records);

  std::vector<std::size_t> list;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.matched[i]) list.push_back(i);
  }
  MappingStats::add(stats_.filtered, n - list.size());
  if (list.empty()) {
    if (auto s = commit(p, n); !s) return std::move(s).error();
    return n;
  }
  deliver(p, std::move(list), 0);
  if (p.save_failed) return Error::unavailable("cannot save the checkpoint");
  return n;
}

// Delivers the matched records `list` (indices into p, in order) until each is resolved.
// Returns false when stop() interrupted it (the unresolved records stay after the checkpoint).
bool StreamMapping::deliver(Pending& p, std::vector<std::size_t> list, int failures) {
  while (!list.empty()) {
    if (config_.maximum_record_age_seconds >= 0) {
      const std::int64_t age = clock_.now_ms() - p.records[list.front()].approximate_creation_ms;
      if (age > std::int64_t{config_.maximum_record_age_seconds} * 1000) {
        if (!send_on_failure(p, list, "RecordAgeExceeded", failures, failures > 0)) return false;
        return resolve(p, list.back());
      }
    }
    std::size_t first_failed = 0;
    const Outcome outcome = invoke(p, list, first_failed);
    if (outcome == Outcome::kSuccess) return resolve(p, list.back());
    ++failures;
    MappingStats::add(stats_.errors);
    if (outcome == Outcome::kPartial) {
      if (first_failed > 0) {
        if (!resolve(p, list[first_failed - 1])) return false;
        list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(first_failed));
      }
    } else if (config_.bisect_batch_on_function_error && list.size() > 1) {
      MappingStats::add(stats_.retries);
      if (!sleep_backoff(failures)) return false;
      const auto half = list.begin() + static_cast<std::ptrdiff_t>(list.size() / 2);
      std::vector<std::size_t> first(list.begin(), half);
      std::vector<std::size_t> second(half, list.end());
      if (!deliver(p, std::move(first), failures)) return false;
      return deliver(p, std::move(second), failures);
    }
    if (config_.maximum_retry_attempts >= 0 && failures > config_.maximum_retry_attempts) {
      if (!send_on_failure(p, list, "RetryAttemptsExhausted", failures, true)) return false;
      return resolve(p, list.back());
    }
    MappingStats::add(stats_.retries);
    if (!sleep_backoff(failures)) return false;
  }
  return true;
}

StreamMapping::Outcome StreamMapping::invoke(const Pending& p, const std::vector<std::size_t>& list,
                                             std::size_t& first_failed) {
  events::DynamoDbStreamEvent event;
  event.records.reserve(list.size());
  for (std::size_t i : list) event.records.push_back(p.lambda[i]);
  functions::InvocationContext ctx;
  ctx.request_id = util::fast_uuid_v4();
  ctx.invoked_function_arn = config_.function_arn;
  MappingStats::add(stats_.batches);
  MappingStats::add(stats_.records, list.size());
  auto response = handler_.invoke(events::to_json(event), ctx);
  if (!response) return Outcome::kError;
  if (!config_.report_batch_item_failures) return Outcome::kSuccess;
  auto parsed = events::parse_batch_response(*response);
  if (!parsed) return Outcome::kError;  // Lambda treats an unreadable response as a failure
  if (parsed->batch_item_failures.empty()) return Outcome::kSuccess;
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t k = 0; k < list.size(); ++k) {
    position.emplace(p.records[list[k]].sequence_number, k);
  }
  std::size_t lowest = list.size();
  for (const auto& f : parsed->batch_item_failures) {
    auto it = position.find(f.item_identifier);
    if (it == position.end()) return Outcome::kError;  // unknown id: the whole batch failed
    lowest = std::min(lowest, it->second);
  }
  first_failed = lowest;
  return Outcome::kPartial;
}

bool StreamMapping::send_on_failure(const Pending& p, const std::vector<std::size_t>& list,
                                    const char* condition, int invoke_count, bool function_error) {
  MappingStats::add(stats_.on_failure_records, list.size());
  if (config_.on_failure == nullptr) return true;  // no destination: the records are dropped
  OnFailureInfo info;
  info.request_id = util::fast_uuid_v4();
  info.function_arn = config_.function_arn;
  info.condition = condition;
  info.approximate_invoke_count = invoke_count;
  info.function_error = function_error;
  info.timestamp_ms = clock_.now_ms();
  info.shard_id = config_.shard_id;
  const auto& first = p.records[list.front()];
  const auto& last = p.records[list.back()];
  info.start_sequence_number = first.sequence_number;
  info.end_sequence_number = last.sequence_number;
  info.first_arrival_ms = first.approximate_creation_ms;
  info.last_arrival_ms = last.approximate_creation_ms;
  info.batch_size = list.size();
  info.stream_arn = config_.event_source_arn;
  ports::SendEntry entry;
  entry.id = "on-failure";
  entry.body = on_failure_record_json(info);
  for (int attempt = 1;; ++attempt) {
    if (config_.on_failure->send(entry)) return true;
    MappingStats::add(stats_.source_errors);
    if (!sleep_backoff(attempt)) return false;  // keep the records: retried after restart
  }
}

// Marks every matched record up to `index` resolved and checkpoints after it, skipping over
// filtered-out records that follow.
bool StreamMapping::resolve(Pending& p, std::size_t index) {
  std::size_t count = index + 1;
  while (count < p.records.size() && !p.matched[count]) ++count;
  if (auto s = commit(p, count); !s) {
    p.save_failed = true;
    return false;
  }
  return true;
}

Status StreamMapping::commit(Pending& p, std::size_t count) {
  if (count <= p.done) return {};
  ports::StreamPosition pos;
  if (count == p.records.size()) {
    pos = p.next;
  } else {
    // Positions are opaque: the one after the first `count` records is what a read of exactly
    // that many records from the batch's start reports as next.
    auto again = stream_.read(p.from, count, std::chrono::milliseconds(0));
    if (!again) return std::move(again).error();
    if (again->records.size() != count) return Error::internal("stream changed under a batch");
    pos = std::move(again->next);
  }
  if (auto s = checkpoints_.save(config_.mapping_id, pos); !s) {
    MappingStats::add(stats_.source_errors);
    return s;
  }
  p.done = count;
  std::lock_guard lock(mutex_);
  checkpoint_ = std::move(pos);
  return {};
}

bool StreamMapping::sleep_backoff(int failures) {
  auto delay = config_.retry_backoff_base;
  for (int i = 1; i < failures && delay < config_.retry_backoff_max; ++i) delay *= 2;
  delay = std::min(delay, config_.retry_backoff_max);
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

}  // namespace cartflow::platform
