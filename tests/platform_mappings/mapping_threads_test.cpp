// SPDX-License-Identifier: Apache-2.0
// The mappings on their own threads: pollers in parallel, clean stop, restart after stop.
// Waits are bounded by condition variables (no sleeps, no timed assertions).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "mapping_fixture.h"
#include "platform/queue_mapping.h"
#include "platform/stream_mapping.h"

namespace cartflow::platform::testing {
namespace {

class MappingThreadsTest : public StoreTest {};

std::size_t total(const std::vector<std::vector<Seen>>& calls) {
  std::size_t n = 0;
  for (const auto& c : calls) n += c.size();
  return n;
}

TEST_F(MappingThreadsTest, SeveralPollersShareTheQueueAndDeliverEachMessageOnce) {
  constexpr int kMessages = 40;
  for (int i = 0; i < kMessages; ++i) send("m" + std::to_string(i));
  std::mutex m;
  std::condition_variable cv;
  int in_flight = 0;
  int max_in_flight = 0;
  ScriptedHandler h(ScriptedHandler::Kind::kQueue,
                    [&](int, const std::vector<Seen>&) -> model::Result<std::string> {
                      std::unique_lock lock(m);
                      max_in_flight = std::max(max_in_flight, ++in_flight);
                      cv.notify_all();
                      // Hold the batch until a second poller is in the handler too (bounded).
                      cv.wait_for(lock, std::chrono::seconds(5), [&] { return max_in_flight >= 2; });
                      --in_flight;
                      return item_failures({});
                    });
  QueueMappingConfig c;
  c.batch_size = 5;
  c.maximum_concurrency = 4;
  c.report_batch_item_failures = true;
  c.poll_wait = std::chrono::milliseconds(50);
  auto mapping = QueueMapping::create(c, *queue_, h);
  ASSERT_TRUE(mapping.ok());
  (*mapping)->start();
  ASSERT_TRUE(h.wait_until([](const auto& calls) { return total(calls) >= kMessages; }));
  (*mapping)->stop();
  std::map<std::string, int> times;
  for (const auto& call : h.calls()) {
    EXPECT_LE(call.size(), 5u);
    for (const auto& s : call) ++times[s.id];
  }
  EXPECT_EQ(times.size(), static_cast<std::size_t>(kMessages));
  for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id;
  EXPECT_GE(max_in_flight, 2);
  auto counts = queue_->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->visible + counts->in_flight, 0);
}

TEST_F(MappingThreadsTest, QueueStopFinishesTheInFlightBatch) {
  send("m1");
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};
  ScriptedHandler h(ScriptedHandler::Kind::kQueue,
                    [&](int, const std::vector<Seen>&) -> model::Result<std::string> {
                      entered = true;
                      while (!release) std::this_thread::yield();
                      return item_failures({});
                    });
  QueueMappingConfig c;
  c.report_batch_item_failures = true;
  c.poll_wait = std::chrono::milliseconds(20);
  auto mapping = QueueMapping::create(c, *queue_, h);
  ASSERT_TRUE(mapping.ok());
  (*mapping)->start();
  ASSERT_TRUE(h.wait_until([](const auto& calls) { return !calls.empty(); }));
  std::thread stopper([&] { (*mapping)->stop(); });
  release = true;
  stopper.join();
  auto counts = queue_->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->visible + counts->in_flight, 0);  // the batch was deleted before stop ended
}

TEST_F(MappingThreadsTest, StreamMappingDeliversWhatIsWrittenWhileRunning) {
  MemoryCheckpointStore store;
  ScriptedHandler h(ScriptedHandler::Kind::kStream,
                    [](int, const std::vector<Seen>&) -> model::Result<std::string> {
                      return std::string("{}");
                    });
  StreamMappingConfig c;
  c.starting_position = StartingPosition::kLatest;
  c.poll_wait = std::chrono::milliseconds(50);
  auto mapping = StreamMapping::create(c, *stream_, store, h, clock_);
  ASSERT_TRUE(mapping.ok());
  (*mapping)->start();
  for (int i = 0; i < 20; ++i) put_order("o" + std::to_string(i));
  ASSERT_TRUE(h.wait_until([](const auto& calls) { return total(calls) >= 20; }));
  (*mapping)->stop();
  std::vector<std::string> order;
  for (const auto& call : h.calls()) {
    for (const auto& s : call) order.push_back(s.id);
  }
  ASSERT_EQ(order.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(order[i], "o" + std::to_string(i));  // in commit order
}

TEST_F(MappingThreadsTest, StreamStopDuringInfiniteRetriesKeepsTheRecordsForTheNextRun) {
  MemoryCheckpointStore store;
  put_order("poison");
  ScriptedHandler failing(ScriptedHandler::Kind::kStream,
                          [](int, const std::vector<Seen>&) { return function_error(); });
  StreamMappingConfig c;
  c.starting_position = StartingPosition::kTrimHorizon;
  c.retry_backoff_base = std::chrono::milliseconds(1);
  c.retry_backoff_max = std::chrono::milliseconds(2);
  c.poll_wait = std::chrono::milliseconds(20);
  {
    auto mapping = StreamMapping::create(c, *stream_, store, failing, clock_);
    ASSERT_TRUE(mapping.ok());
    (*mapping)->start();
    ASSERT_TRUE(failing.wait_until([](const auto& calls) { return calls.size() >= 3; }));
    (*mapping)->stop();
  }
  ScriptedHandler ok(ScriptedHandler::Kind::kStream,
                     [](int, const std::vector<Seen>&) -> model::Result<std::string> {
                       return std::string("{}");
                     });
  auto again = StreamMapping::create(c, *stream_, store, ok, clock_);
  ASSERT_TRUE(again.ok());
  auto n = (*again)->poll_once();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(ok.call_ids(), (std::vector<std::vector<std::string>>{{"poison"}}));
}

}  // namespace
}  // namespace cartflow::platform::testing
