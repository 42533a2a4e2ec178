// SPDX-License-Identifier: Apache-2.0
#pragma once

// Clock: wall time for timestamps and time-based rules (visibility timeouts, retention, expiry).
// Injected so tests can move time by hand. Implementations are thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cartflow::ports {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  std::int64_t now_ms() const override { return now_.load(); }
  void advance_ms(std::int64_t delta) { now_.fetch_add(delta); }
  void set_ms(std::int64_t value) { now_.store(value); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace cartflow::ports
