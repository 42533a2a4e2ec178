// SPDX-License-Identifier: Apache-2.0
#include "platform/api_gateway_throttle.h"

#include <gtest/gtest.h>

namespace cartflow::platform {
namespace {

TEST(TokenBucket, AllowsBurstThenRefillsAtRate) {
  TokenBucket bucket(2.0, 3, 0);  // 2 per second, burst 3
  EXPECT_TRUE(bucket.try_take(0));
  EXPECT_TRUE(bucket.try_take(0));
  EXPECT_TRUE(bucket.try_take(0));
  EXPECT_FALSE(bucket.try_take(0));
  EXPECT_FALSE(bucket.try_take(499));  // 0.998 tokens
  EXPECT_TRUE(bucket.try_take(500));   // one token after 500 ms
  EXPECT_FALSE(bucket.try_take(500));
  EXPECT_TRUE(bucket.try_take(1000));
}

TEST(TokenBucket, NeverHoldsMoreThanBurst) {
  TokenBucket bucket(100.0, 2, 0);
  EXPECT_TRUE(bucket.try_take(60'000));  // a minute idle: still only 2 tokens
  EXPECT_TRUE(bucket.try_take(60'000));
  EXPECT_FALSE(bucket.try_take(60'000));
}

TEST(TokenBucket, ClockGoingBackwardsRefillsNothing) {
  TokenBucket bucket(1.0, 1, 10'000);
  EXPECT_TRUE(bucket.try_take(10'000));
  EXPECT_FALSE(bucket.try_take(5'000));
  EXPECT_FALSE(bucket.try_take(10'500));
  EXPECT_TRUE(bucket.try_take(11'000));
}

TEST(Throttler, KeepsOneBucketPerKey) {
  ports::ManualClock clock(0);
  Throttler throttler(clock);
  EXPECT_TRUE(throttler.allow("a", 1.0, 1));
  EXPECT_FALSE(throttler.allow("a", 1.0, 1));
  EXPECT_TRUE(throttler.allow("b", 1.0, 1));  // another key has its own bucket
  clock.advance_ms(1000);
  EXPECT_TRUE(throttler.allow("a", 1.0, 1));
  EXPECT_FALSE(throttler.allow("a", 1.0, 1));
  EXPECT_TRUE(throttler.allow("a", 1.0, 5));  // plan changed: a new, full bucket
}

}  // namespace
}  // namespace cartflow::platform
