// SPDX-License-Identifier: Apache-2.0
// StreamMapping on the real embedded table and change stream: starting positions, durable
// checkpoints, filtering, partial batch responses, retries, bisect, on-failure destination and
// record age. Single-threaded (poll_once) so every step is deterministic.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mapping_fixture.h"
#include "platform/stream_mapping.h"
#include "platform/stream_mapping_checkpoint.h"

namespace cartflow::platform::testing {
namespace {

using Ids = std::vector<std::vector<std::string>>;

class StreamMappingTest : public StoreTest {
 protected:
  StreamMappingConfig config() {
    StreamMappingConfig c;
    c.mapping_id = "orders-to-process";
    c.batch_size = 10;
    c.starting_position = StartingPosition::kTrimHorizon;
    c.retry_backoff_base = std::chrono::milliseconds(1);
    c.retry_backoff_max = std::chrono::milliseconds(4);
    c.poll_wait = std::chrono::milliseconds(20);
    c.on_failure = failures_;
    return c;
  }

  std::unique_ptr<StreamMapping> make(const StreamMappingConfig& c, functions::Handler& h,
                                      CheckpointStore& store) {
    auto m = StreamMapping::create(c, *stream_, store, h, clock_);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? std::move(*m) : nullptr;
  }

  std::size_t poll(StreamMapping& m) {
    auto n = m.poll_once();
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
    return n.ok() ? *n : 0;
  }

  MemoryCheckpointStore store_;
};

ScriptedHandler::Script always_ok() {
  return [](int, const std::vector<Seen>&) { return ok_response(); };
}

// Fails (function error) every batch that contains record `poison`.
ScriptedHandler::Script poison(const std::string& bad) {
  return [bad](int, const std::vector<Seen>& seen) {
    for (const auto& s : seen) {
      if (s.id == bad) return function_error();
    }
    return ok_response();
  };
}

TEST_F(StreamMappingTest, TrimHorizonDeliversExistingRecordsInOneBatch) {
  put_order("a");
  put_order("b");
  put_order("c");
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(config(), h, store_);
  EXPECT_EQ(poll(*m), 3u);
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "b", "c"}}));
  EXPECT_EQ(poll(*m), 0u);  // checkpointed: nothing is delivered twice
  EXPECT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(m->stats().batches, 1u);
  EXPECT_EQ(m->stats().records, 3u);
}

TEST_F(StreamMappingTest, LatestSkipsRecordsWrittenBeforeCreation) {
  put_order("old");
  auto c = config();
  c.starting_position = StartingPosition::kLatest;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, store_);
  put_order("new");
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.call_ids(), (Ids{{"new"}}));
}

TEST_F(StreamMappingTest, BatchSizeSplitsBatches) {
  for (const char* id : {"a", "b", "c", "d", "e"}) put_order(id);
  auto c = config();
  c.batch_size = 2;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, store_);
  while (poll(*m) > 0) {
  }
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "b"}, {"c", "d"}, {"e"}}));
}

TEST_F(StreamMappingTest, RestartResumesAfterTheLastSuccessFromADurableCheckpoint) {
  FileCheckpointStore files(dir_.path());
  put_order("a");
  put_order("b");
  {
    ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
    auto m = make(config(), h, files);
    EXPECT_EQ(poll(*m), 2u);
  }
  put_order("c");
  open_store();  // a restart: the database and the checkpoint come back from disk
  FileCheckpointStore reopened(dir_.path());
  auto c = config();
  c.starting_position = StartingPosition::kTrimHorizon;  // ignored: a checkpoint exists
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, reopened);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.call_ids(), (Ids{{"c"}}));
}

TEST_F(StreamMappingTest, LatestIsFixedAtCreationSoARestartLosesNothing) {
  FileCheckpointStore files(dir_.path());
  auto c = config();
  c.starting_position = StartingPosition::kLatest;
  {
    ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
    auto m = make(c, h, files);
  }
  put_order("while-down");  // written while the mapping was not running
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, files);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.call_ids(), (Ids{{"while-down"}}));
}

TEST_F(StreamMappingTest, FilterCriteriaSkipsNonMatchingRecordsAndCheckpointsPastThem) {
  put_order("a", "ORDERED");
  put_order("b", "PENDING");
  put_order("c", "ORDERED");
  put_order("d", "PENDING");
  auto c = config();
  c.filter_patterns = {R"({"eventName":["INSERT"],"dynamodb":{"NewImage":{"order_status":{"S":["ORDERED"]}}}})"};
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 4u);
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "c"}}));
  EXPECT_EQ(m->stats().filtered, 2u);
  EXPECT_EQ(poll(*m), 0u);
}

TEST_F(StreamMappingTest, AllFilteredOutNeverInvokesButAdvances) {
  put_order("a", "PENDING");
  auto c = config();
  c.filter_patterns = {R"({"dynamodb":{"NewImage":{"order_status":{"S":["ORDERED"]}}}})"};
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, store_);
  const auto before = m->checkpoint();
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_TRUE(h.calls().empty());
  EXPECT_NE(m->checkpoint(), before);
  EXPECT_EQ(poll(*m), 0u);
}

TEST_F(StreamMappingTest, PartialBatchResponseRetriesFromTheReportedSequenceNumber) {
  for (const char* id : {"a", "b", "c", "d"}) put_order(id);
  auto c = config();
  c.report_batch_item_failures = true;
  ScriptedHandler h(ScriptedHandler::Kind::kStream,
                    [](int call, const std::vector<Seen>& seen) -> model::Result<std::string> {
                      if (call == 0) return item_failures({seen[2].sequence});  // "c" failed
                      return ok_response();
                    });
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 4u);
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "b", "c", "d"}, {"c", "d"}}));
  EXPECT_EQ(m->stats().errors, 1u);
  EXPECT_EQ(m->stats().retries, 1u);
  EXPECT_EQ(poll(*m), 0u);
  EXPECT_TRUE(peek(*failures_).empty());
}

TEST_F(StreamMappingTest, PartialFailureCheckpointsBeforeTheFailedRecord) {
  FileCheckpointStore files(dir_.path());
  for (const char* id : {"a", "b", "c"}) put_order(id);
  auto c = config();
  c.report_batch_item_failures = true;
  {
    // "b" fails every time; stop() during the backoff leaves it unresolved.
    StreamMapping* self = nullptr;
    ScriptedHandler h(ScriptedHandler::Kind::kStream,
                      [&self](int, const std::vector<Seen>& seen) -> model::Result<std::string> {
                        for (const auto& s : seen) {
                          if (s.id == "b") {
                            self->stop();  // ends the retry loop after this invocation
                            return item_failures({s.sequence});
                          }
                        }
                        return ok_response();
                      });
    auto m = make(c, h, files);
    self = m.get();
    EXPECT_EQ(poll(*m), 3u);
    EXPECT_EQ(h.call_ids(), (Ids{{"a", "b", "c"}}));
  }
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, files);
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(h.call_ids(), (Ids{{"b", "c"}}));  // "a" succeeded and is not delivered again
}

TEST_F(StreamMappingTest, UnknownItemIdentifierFailsTheWholeBatch) {
  put_order("a");
  put_order("b");
  auto c = config();
  c.report_batch_item_failures = true;
  ScriptedHandler h(ScriptedHandler::Kind::kStream,
                    [](int call, const std::vector<Seen>&) -> model::Result<std::string> {
                      if (call == 0) return item_failures({"999"});
                      return ok_response();
                    });
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "b"}, {"a", "b"}}));
}

TEST_F(StreamMappingTest, RetriesThenSendsAnOnFailureRecordAndMovesOn) {
  put_order("a");
  put_order("poison");
  put_order("c");
  auto c = config();
  c.maximum_retry_attempts = 2;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, poison("poison"));
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 3u);
  // One invocation and two retries of the same batch.
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "poison", "c"}, {"a", "poison", "c"}, {"a", "poison", "c"}}));
  auto sent = peek(*failures_);
  ASSERT_EQ(sent.size(), 1u);
  const std::string& body = sent[0].body;
  const auto seqs = h.calls()[0];
  EXPECT_NE(body.find("\"condition\":\"RetryAttemptsExhausted\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"approximateInvokeCount\":3"), std::string::npos) << body;
  EXPECT_NE(body.find("\"batchSize\":3"), std::string::npos) << body;
  EXPECT_NE(body.find("\"startSequenceNumber\":\"" + seqs[0].sequence + "\""), std::string::npos);
  EXPECT_NE(body.find("\"endSequenceNumber\":\"" + seqs[2].sequence + "\""), std::string::npos);
  EXPECT_NE(body.find("\"functionError\":\"Unhandled\""), std::string::npos);
  EXPECT_NE(body.find("\"DDBStreamBatchInfo\""), std::string::npos);
  EXPECT_EQ(m->stats().on_failure_records, 3u);
  EXPECT_EQ(m->stats().retries, 2u);
  EXPECT_EQ(poll(*m), 0u);  // moved on
}

TEST_F(StreamMappingTest, ZeroRetriesGivesUpAfterTheFirstFailure) {
  put_order("poison");
  auto c = config();
  c.maximum_retry_attempts = 0;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, poison("poison"));
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.calls().size(), 1u);
  EXPECT_EQ(peek(*failures_).size(), 1u);
}

TEST_F(StreamMappingTest, BisectIsolatesThePoisonRecord) {
  for (const char* id : {"a", "b", "poison", "d"}) put_order(id);
  auto c = config();
  c.bisect_batch_on_function_error = true;
  c.maximum_retry_attempts = 1;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, poison("poison"));
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 4u);
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "b", "poison", "d"}, {"a", "b"}, {"poison", "d"},
                               {"poison"}, {"d"}}));
  auto sent = peek(*failures_);
  ASSERT_EQ(sent.size(), 1u);
  const std::string poison_seq = h.calls()[3][0].sequence;
  EXPECT_NE(sent[0].body.find("\"batchSize\":1"), std::string::npos) << sent[0].body;
  EXPECT_NE(sent[0].body.find("\"startSequenceNumber\":\"" + poison_seq + "\""),
            std::string::npos);
  EXPECT_EQ(m->stats().on_failure_records, 1u);
  EXPECT_EQ(poll(*m), 0u);
}

TEST_F(StreamMappingTest, WithoutBisectTheWholeBatchGoesToOnFailure) {
  for (const char* id : {"a", "poison"}) put_order(id);
  auto c = config();
  c.maximum_retry_attempts = 1;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, poison("poison"));
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 2u);
  EXPECT_EQ(h.call_ids(), (Ids{{"a", "poison"}, {"a", "poison"}}));
  auto sent = peek(*failures_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body.find("\"batchSize\":2"), std::string::npos);
}

TEST_F(StreamMappingTest, RecordsOlderThanMaximumAgeGoToOnFailureWithoutInvoking) {
  put_order("stale");
  clock_.advance_ms(61'000);
  put_order("fresh");
  auto c = config();
  c.maximum_record_age_seconds = 60;
  c.batch_size = 1;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_TRUE(h.calls().empty());
  auto sent = peek(*failures_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body.find("\"condition\":\"RecordAgeExceeded\""), std::string::npos);
  EXPECT_EQ(sent[0].body.find("functionError"), std::string::npos);  // never invoked
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.call_ids(), (Ids{{"fresh"}}));
}

TEST_F(StreamMappingTest, RecordAgeEndsInfiniteRetries) {
  put_order("poison");
  auto c = config();
  c.maximum_record_age_seconds = 60;  // MaximumRetryAttempts stays -1 (infinite)
  ports::ManualClock& clock = clock_;
  ScriptedHandler h(ScriptedHandler::Kind::kStream,
                    [&clock](int, const std::vector<Seen>&) -> model::Result<std::string> {
                      clock.advance_ms(25'000);  // each attempt takes 25 s of stream time
                      return function_error();
                    });
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.calls().size(), 3u);  // at 25 s and 50 s still young enough; 75 s too old
  auto sent = peek(*failures_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body.find("RecordAgeExceeded"), std::string::npos);
}

TEST_F(StreamMappingTest, WithoutDestinationExhaustedRecordsAreDropped) {
  put_order("poison");
  put_order("ok");
  auto c = config();
  c.on_failure = nullptr;
  c.maximum_retry_attempts = 0;
  c.batch_size = 1;
  ScriptedHandler h(ScriptedHandler::Kind::kStream, poison("poison"));
  auto m = make(c, h, store_);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(poll(*m), 1u);
  EXPECT_EQ(h.call_ids(), (Ids{{"poison"}, {"ok"}}));
  EXPECT_TRUE(peek(*failures_).empty());
  EXPECT_EQ(m->stats().on_failure_records, 1u);
}

TEST_F(StreamMappingTest, RejectsInvalidConfiguration) {
  ScriptedHandler h(ScriptedHandler::Kind::kStream, always_ok());
  auto c = config();
  c.filter_patterns = {R"({"a":"not-an-array"})"};
  auto m = StreamMapping::create(c, *stream_, store_, h, clock_);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("FilterCriteria"), std::string::npos);
  c = config();
  c.maximum_record_age_seconds = 30;
  EXPECT_FALSE(StreamMapping::create(c, *stream_, store_, h, clock_).ok());
  c = config();
  c.batch_size = 0;
  EXPECT_FALSE(StreamMapping::create(c, *stream_, store_, h, clock_).ok());
  EXPECT_EQ(store_.saves(), 0);  // nothing was created
}

}  // namespace
}  // namespace cartflow::platform::testing
