// SPDX-License-Identifier: Apache-2.0
#include "platform/lease_worker.h"

#include <algorithm>

namespace cartflow::platform {

using functions::LogLevel;
using model::Error;
using model::Result;
using model::Status;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::int64_t ms_of(std::chrono::milliseconds d) { return static_cast<std::int64_t>(d.count()); }

// The shard's view as long as the lease is held (see lease_worker.h). Logs each read that
// delivers records ("lease read", DEBUG) with its start and end, so a history of who read which
// shard when can be checked against the leases.
class GuardedStream final : public ports::ChangeStream {
 public:
  GuardedStream(ports::ChangeStream& view, LeaseHold& hold, const ports::Clock& clock,
                const functions::Logger& logger)
      : view_(view), hold_(hold), clock_(clock), logger_(logger) {}

  Result<ports::StreamPosition> latest() override {
    if (!hold_.held()) return not_held();
    return view_.latest();
  }

  Result<ports::StreamBatch> read(const ports::StreamPosition& after, std::size_t limit,
                                  std::chrono::milliseconds wait) override {
    const std::int64_t start_ms = clock_.now_ms();
    const auto deadline = hold_.deadline();
    const auto now = SteadyClock::now();
    if (!hold_.held() || now >= deadline) return not_held();
    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    auto batch = view_.read(after, limit, wait);
    if (!batch.ok()) return batch;
    if (!hold_.held() || SteadyClock::now() >= deadline) return not_held();  // too late: dropped
    if (!batch->records.empty() && logger_.enabled(LogLevel::kDebug)) {
      const Lease lease = hold_.lease();
      logger_.log(LogLevel::kDebug, nullptr, "lease read",
                  {{"shard", lease.shard},
                   {"owner", lease.owner},
                   {"records", batch->records.size()},
                   {"first_sequence", batch->records.front().sequence_number},
                   {"last_sequence", batch->records.back().sequence_number},
                   {"start_ms", start_ms},
                   {"end_ms", clock_.now_ms()}});
    }
    return batch;
  }

 private:
  Error not_held() const {
    return Error::unavailable("the lease on shard " + hold_.lease().shard + " is not held");
  }
  ports::ChangeStream& view_;
  LeaseHold& hold_;
  const ports::Clock& clock_;
  const functions::Logger& logger_;
};

// Checkpoints of one shard, kept in its lease.
class LeaseCheckpointStore final : public CheckpointStore {
 public:
  LeaseCheckpointStore(LeaseHold& hold, ports::ShardedChangeStream& stream)
      : hold_(hold), stream_(stream) {}

  Result<std::optional<ports::StreamPosition>> load(const std::string&) override {
    const Lease lease = hold_.lease();
    return std::optional<ports::StreamPosition>(stream_.position_at(lease.shard, lease.checkpoint));
  }

  Status save(const std::string&, const ports::StreamPosition& position) override {
    if (!hold_.held()) return Error::unavailable("the lease is not held");
    return hold_.checkpoint(stream_.checkpoint_of(hold_.lease().shard, position));
  }

 private:
  LeaseHold& hold_;
  ports::ShardedChangeStream& stream_;
};

}  // namespace

void add_stats(MappingStatsSnapshot& a, const MappingStatsSnapshot& b) {
  a.batches += b.batches;
  a.records += b.records;
  a.filtered += b.filtered;
  a.errors += b.errors;
  a.retries += b.retries;
  a.on_failure_records += b.on_failure_records;
  a.source_errors += b.source_errors;
}

LeaseHold::LeaseHold(LeaseTable& table, Lease lease, std::chrono::milliseconds duration,
                     SteadyTime written_at, std::int64_t written_ms, bool stolen,
                     const ports::Clock& clock, const functions::Logger& logger)
    : table_(table),
      duration_(duration),
      clock_(clock),
      logger_(logger),
      lease_(std::move(lease)),
      deadline_(written_at + duration),
      not_before_(stolen ? SteadyClock::now() + duration : SteadyTime()) {
  log(LogLevel::kInfo, stolen ? "lease stolen" : "lease taken", lease_,
      written_ms + ms_of(duration_), nullptr);
}

bool LeaseHold::held() const {
  std::lock_guard lock(mutex_);
  const auto now = SteadyClock::now();
  return !lost_ && now >= not_before_ && now < deadline_;
}

bool LeaseHold::expired() const {
  std::lock_guard lock(mutex_);
  return SteadyClock::now() >= deadline_;
}

LeaseHold::SteadyTime LeaseHold::deadline() const {
  std::lock_guard lock(mutex_);
  return deadline_;
}

Lease LeaseHold::lease() const {
  std::lock_guard lock(mutex_);
  return lease_;
}

bool LeaseHold::lost() const {
  std::lock_guard lock(mutex_);
  return lost_;
}

Status LeaseHold::renew() {
  return write("lease renewed", LogLevel::kDebug,
               [this](const Lease& l) { return table_.renew(l); });
}

Status LeaseHold::checkpoint(const std::string& checkpoint) {
  return write("lease checkpointed", LogLevel::kDebug,
               [this, &checkpoint](const Lease& l) { return table_.checkpoint(l, checkpoint); });
}

Status LeaseHold::release() {
  auto s = write("lease released", LogLevel::kInfo,
                 [this](const Lease& l) { return table_.release(l); });
  if (s.ok()) lose("released");  // ours no more, without being lost to anyone
  return s;
}

void LeaseHold::lose(const char* reason) {
  std::lock_guard lock(mutex_);
  if (lost_) return;
  lost_ = true;
  if (std::string_view(reason) != "released") log(LogLevel::kInfo, "lease lost", lease_, 0, reason);
}

Status LeaseHold::write(const char* what, LogLevel level,
                        const std::function<Result<Lease>(const Lease&)>& call) {
  std::unique_lock lock(mutex_);
  if (lost_) return Error::condition_failed("the lease on shard " + lease_.shard + " was lost");
  const auto started = SteadyClock::now();
  const std::int64_t started_ms = clock_.now_ms();
  auto written = call(lease_);
  if (!written.ok()) {
    if (written.error().code == model::ErrorCode::kConditionFailed) {
      lost_ = true;
      log(LogLevel::kInfo, "lease lost", lease_, 0, "changed by another process");
    }
    return std::move(written).error();
  }
  lease_ = std::move(written).value();
  deadline_ = started + duration_;
  log(level, what, lease_, started_ms + ms_of(duration_), nullptr);
  return {};
}

void LeaseHold::log(LogLevel level, const char* message, const Lease& lease,
                    std::int64_t valid_until_ms, const char* reason) const {
  if (!logger_.enabled(level)) return;
  if (reason != nullptr) {
    logger_.log(level, nullptr, message,
                {{"shard", lease.shard}, {"owner", lease.owner}, {"counter", lease.counter},
                 {"at_ms", clock_.now_ms()}, {"reason", reason}});
    return;
  }
  logger_.log(level, nullptr, message,
              {{"shard", lease.shard}, {"owner", lease.owner}, {"counter", lease.counter},
               {"checkpoint", lease.checkpoint}, {"at_ms", clock_.now_ms()},
               {"valid_until_ms", valid_until_ms}});
}

Result<std::unique_ptr<ShardWorker>> ShardWorker::start(std::unique_ptr<LeaseHold> hold,
                                                        StreamMappingConfig config,
                                                        ports::ShardedChangeStream& stream,
                                                        functions::Handler& handler,
                                                        const ports::Clock& clock,
                                                        const functions::Logger& logger) {
  std::unique_ptr<ShardWorker> w(new ShardWorker());
  w->hold_ = std::move(hold);
  w->stream_ = &stream;
  w->shard_ = w->hold_->lease().shard;
  w->view_ = stream.open_shard(w->shard_);
  w->guarded_ = std::make_unique<GuardedStream>(*w->view_, *w->hold_, clock, logger);
  w->checkpoints_ = std::make_unique<LeaseCheckpointStore>(*w->hold_, stream);
  config.mapping_id += "@" + w->shard_;
  config.shard_id = w->shard_;
  auto mapping = StreamMapping::create(std::move(config), *w->guarded_, *w->checkpoints_, handler,
                                       clock, &logger);
  if (!mapping.ok()) {
    (void)w->hold_->release();  // for another process to try
    return std::move(mapping).error();
  }
  w->mapping_ = std::move(mapping).value();
  w->mapping_->start();
  return w;
}

ShardWorker::~ShardWorker() { stop(); }

bool ShardWorker::ended() const {
  return stream_->checkpoint_of(shard_, mapping_->checkpoint()) == ports::kShardEnd;
}

void ShardWorker::stop() {
  if (mapping_) mapping_->stop();
}

MappingStatsSnapshot ShardWorker::stats() const { return mapping_->stats(); }

std::optional<std::int64_t> ShardWorker::oldest_pending_ms() {
  // Through the guard: a peek is a read too, made only while the lease is held.
  auto next = guarded_->read(mapping_->checkpoint(), 1, std::chrono::milliseconds(0));
  if (!next.ok() || next->records.empty()) return std::nullopt;
  return next->records.front().approximate_creation_ms;
}

}  // namespace cartflow::platform
