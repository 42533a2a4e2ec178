// SPDX-License-Identifier: Apache-2.0
#pragma once

// Request throttling as API Gateway applies a usage plan's rate and burst: a token bucket per
// API key that holds at most `burst` tokens and refills at `rate` tokens per second; a request
// takes one token or is refused (429 Too Many Requests). Time comes from the injected Clock, so
// tests are deterministic with a ManualClock. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "ports/clock.h"

namespace cartflow::platform {

class TokenBucket {
 public:
  // Starts full (`burst` tokens) at `now_ms`.
  TokenBucket(double rate, std::int64_t burst, std::int64_t now_ms);
  // Refills for the time since the last call, then takes one token if there is one. Returns
  // whether the request may pass. A clock that moves backwards refills nothing.
  bool try_take(std::int64_t now_ms);
  double tokens() const { return tokens_; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  std::int64_t last_ms_;
};

// One bucket per key id, created on first use with the key's rate and burst. Thread-safe.
class Throttler {
 public:
  explicit Throttler(const ports::Clock& clock) : clock_(clock) {}
  // Whether a request by `key_id` under (rate, burst) may pass now. When the plan of a key
  // changes, its bucket is recreated full.
  bool allow(std::string_view key_id, double rate, std::int64_t burst);

 private:
  struct Entry {
    double rate;
    std::int64_t burst;
    TokenBucket bucket;
  };
  const ports::Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace cartflow::platform
