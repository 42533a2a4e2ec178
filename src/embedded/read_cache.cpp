// SPDX-License-Identifier: Apache-2.0
#include "embedded/read_cache.h"

#include <algorithm>
#include <utility>

namespace cartflow::embedded {

ReadCache::ReadCache(std::vector<std::string> partitions) : partitions_(std::move(partitions)) {}

bool ReadCache::covers(std::string_view encoded_pk) const {
  return std::find(partitions_.begin(), partitions_.end(), encoded_pk) != partitions_.end();
}

std::optional<ReadCache::Answer> ReadCache::lookup(const std::string& key) const {
  const std::uint64_t current = version();
  std::lock_guard lock(mutex_);
  auto it = answers_.find(key);
  if (it == answers_.end() || it->second.version != current) return std::nullopt;
  return it->second.answer;
}

void ReadCache::store(const std::string& key, std::uint64_t version_before_read, Answer answer) {
  std::lock_guard lock(mutex_);
  // Under the lock: a version moved after this check is seen by lookup, which compares.
  if (version() != version_before_read) return;
  if (answers_.size() >= kMaxAnswers) answers_.clear();
  answers_.insert_or_assign(key, Stored{std::move(answer), version_before_read});
}

void ReadCache::note_change(std::string_view encoded_pk) {
  if (covers(encoded_pk)) changed_ = true;
}

void ReadCache::after_commit() {
  if (!changed_) return;
  changed_ = false;
  version_.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace cartflow::embedded
