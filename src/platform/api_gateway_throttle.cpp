// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway_throttle.h"

#include <algorithm>

namespace cartflow::platform {

TokenBucket::TokenBucket(double rate, std::int64_t burst, std::int64_t now_ms)
    : rate_(rate),
      burst_(static_cast<double>(burst)),
      tokens_(static_cast<double>(burst)),
      last_ms_(now_ms) {}

bool TokenBucket::try_take(std::int64_t now_ms) {
  if (now_ms > last_ms_) {
    tokens_ = std::min(burst_, tokens_ + rate_ * static_cast<double>(now_ms - last_ms_) / 1000.0);
    last_ms_ = now_ms;
  }
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

bool Throttler::allow(std::string_view key_id, double rate, std::int64_t burst) {
  const std::int64_t now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key_id);
  if (it == buckets_.end() || it->second.rate != rate || it->second.burst != burst) {
    if (it != buckets_.end()) buckets_.erase(it);
    it = buckets_.emplace(std::string(key_id), Entry{rate, burst, TokenBucket(rate, burst, now)}).first;
  }
  return it->second.bucket.try_take(now);
}

}  // namespace cartflow::platform
