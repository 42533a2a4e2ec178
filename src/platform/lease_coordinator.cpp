// SPDX-License-Identifier: Apache-2.0
#include "platform/lease_coordinator.h"

#include <algorithm>
#include <set>

#include "util/thread_name.h"

namespace cartflow::platform {

using functions::LogLevel;
using model::Error;
using model::Result;
using model::Status;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds kMinLeaseDuration{30};

bool ended(const Lease& lease) { return lease.checkpoint == ports::kShardEnd; }

}  // namespace

Result<std::unique_ptr<LeaseCoordinator>> LeaseCoordinator::create(
    LeaseCoordinatorOptions options, StreamMappingConfig mapping,
    ports::ShardedChangeStream& stream, LeaseTable& leases, functions::Handler& handler,
    const ports::Clock& clock, const functions::Logger& logger) {
  if (auto s = validate(mapping); !s.ok()) return std::move(s).error();
  if (options.owner.empty()) return Error::invalid("a lease owner needs an id");
  if (options.lease_duration < kMinLeaseDuration) {
    return Error::invalid("the lease duration must be at least 30 ms");
  }
  return std::unique_ptr<LeaseCoordinator>(new LeaseCoordinator(
      std::move(options), std::move(mapping), stream, leases, handler, clock, logger));
}

LeaseCoordinator::~LeaseCoordinator() { stop(); }

void LeaseCoordinator::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    util::name_this_thread("cf-leases");
    run();
  });
}

void LeaseCoordinator::run() {
  while (!stopping_) {
    if (auto s = tick(); !s.ok()) {
      logger_.log(LogLevel::kError, nullptr, "lease coordinator cannot read its leases or stream",
                  {{"owner", options_.owner},
                   {"error", s.error().message},
                   {"error_type", model::error_code_name(s.error().code)}});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.lease_duration / 3, [this] { return stopping_.load(); });
  }
}

void LeaseCoordinator::stop(bool release) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::map<std::string, std::unique_ptr<ShardWorker>> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& [shard, worker] : workers) {
    worker->stop();  // the last batch is checkpointed before the lease goes
    if (release && !worker->hold().lost()) (void)worker->hold().release();
    std::lock_guard lock(mutex_);
    add_stats(retired_, worker->stats());
  }
}

Status LeaseCoordinator::prepare() {
  auto leases = leases_.list();
  if (!leases.ok()) return std::move(leases).error();
  if (auto s = sync_shards(*leases); !s.ok()) return s;
  synced_ = true;
  synced_at_ = SteadyClock::now();
  return {};
}

Status LeaseCoordinator::tick() {
  renew_held();
  auto leases = leases_.list();
  if (!leases.ok()) return std::move(leases).error();
  const auto now = SteadyClock::now();
  if (!synced_ || now - synced_at_ >= options_.shard_sync_interval) {
    if (auto s = sync_shards(*leases); !s.ok()) return s;
    synced_ = true;
    synced_at_ = now;
    leases = leases_.list();
    if (!leases.ok()) return std::move(leases).error();
  }
  return take_leases(*leases);
}

// Renews every lease held; gives up those lost or past their deadline, and those of shards read
// to their end (released, so that their children become available at once).
void LeaseCoordinator::renew_held() {
  std::vector<std::pair<std::string, ShardWorker*>> held;
  {
    std::lock_guard lock(mutex_);
    for (auto& [shard, worker] : workers_) held.emplace_back(shard, worker.get());
  }
  for (auto& [shard, worker] : held) {
    LeaseHold& hold = worker->hold();
    if (worker->ended()) {
      worker->stop();
      if (hold.release().ok()) synced_ = false;  // list the shards again: children may be new
      retire(shard);
      continue;
    }
    if (!hold.renew().ok() && hold.expired()) hold.lose("not renewed within the lease duration");
    if (hold.lost()) retire(shard);
  }
}

void LeaseCoordinator::retire(const std::string& shard) {
  std::unique_ptr<ShardWorker> worker;
  {
    std::lock_guard lock(mutex_);
    auto it = workers_.find(shard);
    if (it == workers_.end()) return;
    worker = std::move(it->second);
    workers_.erase(it);
  }
  worker->stop();
  std::lock_guard lock(mutex_);
  add_stats(retired_, worker->stats());
}

Status LeaseCoordinator::sync_shards(const std::vector<Lease>& leases) {
  auto shards = stream_.list_shards();
  if (!shards.ok()) return std::move(shards).error();
  std::set<std::string> have, listed;
  for (const Lease& l : leases) have.insert(l.shard);
  for (const ports::ShardDescription& shard : *shards) listed.insert(shard.id);
  remove_trimmed(leases, listed);
  const bool first = leases.empty();
  for (const ports::ShardDescription& shard : *shards) {
    if (have.count(shard.id)) continue;
    auto checkpoint = first_checkpoint(shard, first);
    if (!checkpoint.ok()) return std::move(checkpoint).error();
    auto created = leases_.create(Lease{shard.id, "", 0, *checkpoint, shard.parents});
    if (created.ok()) {
      logger_.log(LogLevel::kInfo, nullptr, "lease created",
                  {{"shard", shard.id}, {"owner", options_.owner}, {"checkpoint", *checkpoint},
                   {"at_ms", clock_.now_ms()}});
    } else if (created.error().code != model::ErrorCode::kConditionFailed) {
      return std::move(created).error();  // kConditionFailed: another process created it
    }
  }
  return {};
}

// Leases of shards the stream no longer lists (trimmed, 24 h after they closed on AWS) go, so
// that the table does not grow with every shard roll-over; their children count them as ended.
// A lease held by another process is deleted only once expired (its holder finds it lost); one
// held here is given up.
void LeaseCoordinator::remove_trimmed(const std::vector<Lease>& leases,
                                      const std::set<std::string>& listed) {
  const auto now = SteadyClock::now();
  for (const Lease& l : leases) {
    if (listed.count(l.shard)) continue;
    auto seen = seen_.find(l.shard);
    const bool idle = l.owner.empty() || l.owner == options_.owner ||
                      (seen != seen_.end() && seen->second.owner == l.owner &&
                       seen->second.counter == l.counter &&
                       now - seen->second.since >= options_.lease_duration);
    if (!idle || !leases_.remove(l).ok()) continue;
    seen_.erase(l.shard);
    retire(l.shard);
    logger_.log(ended(l) ? LogLevel::kInfo : LogLevel::kWarning, nullptr, "lease removed",
                {{"shard", l.shard}, {"owner", options_.owner}, {"checkpoint", l.checkpoint},
                 {"at_ms", clock_.now_ms()},
                 {"reason", ended(l) ? "shard trimmed after its end"
                                     : "shard trimmed before it was read to its end"}});
  }
}

Result<std::string> LeaseCoordinator::first_checkpoint(const ports::ShardDescription& shard,
                                                       bool first) {
  if (!first || mapping_.starting_position == StartingPosition::kTrimHorizon) {
    return std::string(ports::kTrimHorizon);
  }
  if (shard.closed) return std::string(ports::kShardEnd);
  auto latest = stream_.open_shard(shard.id)->latest();
  if (!latest.ok()) return std::move(latest).error();
  return stream_.checkpoint_of(shard.id, *latest);
}

Status LeaseCoordinator::take_leases(const std::vector<Lease>& leases) {
  const auto now = SteadyClock::now();
  std::map<std::string, const Lease*> by_shard;
  for (const Lease& l : leases) {
    by_shard[l.shard] = &l;
    Seen& seen = seen_[l.shard];
    if (seen.since == SteadyClock::time_point() || seen.owner != l.owner ||
        seen.counter != l.counter) {
      seen = Seen{l.owner, l.counter, now};
    }
  }
  auto ready = [&](const Lease& l) {
    return !ended(l) && std::all_of(l.parents.begin(), l.parents.end(), [&](const std::string& p) {
             auto parent = by_shard.find(p);
             return parent == by_shard.end() || ended(*parent->second);
           });
  };
  const std::vector<std::string> mine = held();
  std::set<std::string> owners = {options_.owner};
  std::vector<const Lease*> candidates;
  std::size_t total = 0;
  for (const Lease& l : leases) {
    if (!ready(l)) continue;
    ++total;
    if (std::find(mine.begin(), mine.end(), l.shard) != mine.end()) continue;
    const bool expired = now - seen_[l.shard].since >= options_.lease_duration;
    if (l.owner.empty() || l.owner == options_.owner || expired) {
      candidates.push_back(&l);
    } else {
      owners.insert(l.owner);
    }
  }
  // Free leases first (released ones), then expired ones.
  std::stable_partition(candidates.begin(), candidates.end(),
                        [](const Lease* l) { return l->owner.empty(); });
  const std::size_t share = (total + owners.size() - 1) / owners.size();
  std::size_t holding = mine.size();
  for (const Lease* l : candidates) {
    if (holding >= share || stopping_) break;
    if (take(*l, false)) ++holding;
  }
  if (holding < total / owners.size() && !stopping_) steal_one(leases, ready, share);
  return {};
}

// One lease from the live owner holding the most, if it holds more than its share.
void LeaseCoordinator::steal_one(const std::vector<Lease>& leases,
                                 const std::function<bool(const Lease&)>& ready, std::size_t share) {
  std::map<std::string, std::vector<const Lease*>> by_owner;
  for (const Lease& l : leases) {
    if (ready(l) && !l.owner.empty() && l.owner != options_.owner) by_owner[l.owner].push_back(&l);
  }
  const std::vector<const Lease*>* most = nullptr;
  for (const auto& [owner, held] : by_owner) {
    if (most == nullptr || held.size() > most->size()) most = &held;
  }
  if (most != nullptr && most->size() > share) (void)take(*most->front(), true);
}

bool LeaseCoordinator::take(const Lease& lease, bool steal) {
  const auto started = SteadyClock::now();
  const std::int64_t started_ms = clock_.now_ms();
  auto taken = leases_.take(lease, options_.owner);
  if (!taken.ok()) return false;  // taken or renewed by another meanwhile, or the table failed
  auto hold = std::make_unique<LeaseHold>(leases_, std::move(taken).value(),
                                          options_.lease_duration, started, started_ms, steal,
                                          clock_, logger_);
  auto worker = ShardWorker::start(std::move(hold), mapping_, stream_, handler_, clock_, logger_);
  if (!worker.ok()) {
    logger_.log(LogLevel::kError, nullptr, "cannot process a leased shard",
                {{"shard", lease.shard}, {"error", worker.error().message}});
    return false;
  }
  std::lock_guard lock(mutex_);
  workers_[lease.shard] = std::move(worker).value();
  return true;
}

std::vector<std::string> LeaseCoordinator::held() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [shard, worker] : workers_) out.push_back(shard);
  return out;
}

MappingStatsSnapshot LeaseCoordinator::stats() const {
  std::lock_guard lock(mutex_);
  MappingStatsSnapshot total = retired_;
  for (const auto& [shard, worker] : workers_) add_stats(total, worker->stats());
  return total;
}

std::optional<std::int64_t> LeaseCoordinator::oldest_pending_ms() const {
  std::lock_guard lock(mutex_);
  std::optional<std::int64_t> oldest;
  for (const auto& [shard, worker] : workers_) {
    auto ms = worker->oldest_pending_ms();
    if (ms && (!oldest || *ms < *oldest)) oldest = ms;
  }
  return oldest;
}

}  // namespace cartflow::platform
