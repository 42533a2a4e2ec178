// SPDX-License-Identifier: Apache-2.0
// DynamoDbChangeStream against a scripted Streams endpoint: shard splits, expired iterators,
// trimmed records, re-reads, position tokens; one shard alone (DynamoDbShardedStream).
#include <gtest/gtest.h>

#include "aws/dynamodb_shards.h"
#include "aws/dynamodb_stream.h"
#include "fake_streams.h"

namespace cartflow::aws {
namespace {

using model::ErrorCode;
using testing::FakeStreams;

class DynamoDbStreamFakeTest : public ::testing::Test {
 protected:
  std::unique_ptr<DynamoDbChangeStream> open() {
    return std::make_unique<DynamoDbChangeStream>(client_, "arn", ports::StreamViewType::kNewImage,
                                                  std::chrono::milliseconds(5));
  }
  static std::vector<std::string> seqs(const ports::StreamBatch& b) {
    std::vector<std::string> out;
    for (const auto& r : b.records) out.push_back(r.sequence_number);
    return out;
  }
  // Reads everything after `from`, `limit` at a time.
  static std::vector<std::string> drain(ports::ChangeStream& s, ports::StreamPosition& from,
                                        std::size_t limit) {
    std::vector<std::string> out;
    for (;;) {
      auto b = s.read(from, limit, std::chrono::milliseconds(0));
      EXPECT_TRUE(b.ok()) << b.error().message;
      if (!b.ok() || b->records.empty()) return out;
      for (auto& q : seqs(*b)) out.push_back(q);
      from = b->next;
    }
  }

  FakeStreams fake_;
  HttpClient http_;
  StaticCredentialsProvider creds_{Credentials{"test", "test", "", std::nullopt}};
  JsonClient client_{http_, creds_, ServiceEndpoint{fake_.url(), "ddblocal", "dynamodb"},
                     dynamodb_streams_protocol()};
};

TEST(DynamoDbStreamCursor, TokensRoundTripAndRejectOthers) {
  detail::StreamCursor c;
  EXPECT_EQ(detail::encode_cursor(c), "");
  c.sequences = {{"shard-b", "000000000000000000007"}, {"shard \"q\"", "12"}};
  c.finished = {"shard-a"};
  c.current = "shard-b";
  std::string token = detail::encode_cursor(c);
  EXPECT_EQ(token.find(' ') == std::string::npos, false);  // the id with a space is kept
  auto back = detail::decode_cursor(token);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, c);
  EXPECT_EQ(detail::encode_cursor(*back), token);
  for (std::string bad : {"000000000000000000007", "{\"x\":1}", "{\"s\":{\"a\":7}}", "[", "{\"d\":\"a\"}"}) {
    auto r = detail::decode_cursor(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST_F(DynamoDbStreamFakeTest, RecordFieldsAreDecoded) {
  fake_.add_shard("shard-1");
  std::string seq = fake_.put("shard-1");
  auto b = open()->read({}, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->records.size(), 1u);
  const auto& r = b->records[0];
  EXPECT_EQ(r.event_id, "e" + seq);
  EXPECT_EQ(r.event_name, ports::StreamEventName::kInsert);
  EXPECT_EQ(r.sequence_number, seq);
  EXPECT_EQ(r.approximate_creation_ms, 1700000000250);
  EXPECT_EQ(r.keys, (model::Item{{"PK", "shard-1#" + seq}}));
  ASSERT_TRUE(r.new_image);
  EXPECT_EQ(r.new_image->at("n"), model::AttributeValue::integer(1));
  EXPECT_FALSE(r.old_image);
  EXPECT_EQ(r.size_bytes, 20u);
  EXPECT_EQ(r.view_type, ports::StreamViewType::kNewImage);
}

TEST_F(DynamoDbStreamFakeTest, ShardSplitReadsTheClosedParentBeforeItsChildren) {
  // Children's ids sort before the parent's: order must come from the lineage, not the ids.
  fake_.add_shard("shard-9-parent");
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i) expected.push_back(fake_.put("shard-9-parent"));
  fake_.close("shard-9-parent");
  fake_.add_shard("shard-1-left", "shard-9-parent");
  fake_.add_shard("shard-2-right", "shard-9-parent");
  std::vector<std::string> left{fake_.put("shard-1-left"), fake_.put("shard-1-left")};
  std::vector<std::string> right{fake_.put("shard-2-right")};

  auto stream = open();
  ports::StreamPosition from;
  auto got = drain(*stream, from, 2);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 3), expected);
  std::vector<std::string> children(got.begin() + 3, got.end());
  std::sort(children.begin(), children.end());
  EXPECT_EQ(children, (std::vector<std::string>{left[0], left[1], right[0]}));
  // The parent finished: the final position names it finished, no record comes again.
  EXPECT_NE(from.token.find("\"d\":[\"shard-9-parent\"]"), std::string::npos) << from.token;
  EXPECT_TRUE(drain(*stream, from, 10).empty());
  // A new object from the same position sees only what comes next.
  std::string later = fake_.put("shard-2-right");
  EXPECT_EQ(drain(*open(), from, 10), std::vector<std::string>{later});
  // DescribeStream was paginated (one shard per page).
  EXPECT_GE(fake_.calls("DescribeStream"), 3);
}

// The lease coordinator's view: one shard alone, its parent not waited for, its checkpoint a
// sequence number, and its end a position of its own even when no record comes with it.
TEST_F(DynamoDbStreamFakeTest, OneShardAloneEndsAsShardEnd) {
  fake_.add_shard("p");
  const std::string p1 = fake_.put("p");
  const std::string p2 = fake_.put("p");
  fake_.add_shard("c", "p");
  const std::string c1 = fake_.put("c");
  DynamoDbShardedStream sharded(client_, "arn", ports::StreamViewType::kNewImage,
                                std::chrono::milliseconds(5));
  auto shards = sharded.list_shards();
  ASSERT_TRUE(shards.ok()) << shards.error().message;
  ASSERT_EQ(shards->size(), 2u);
  EXPECT_EQ(shards->at(1).parents, std::vector<std::string>{"p"});

  auto child = sharded.open_shard("c");  // read before its parent ended: the caller's business
  auto from = sharded.position_at("c", ports::kTrimHorizon);
  EXPECT_EQ(drain(*child, from, 10), std::vector<std::string>{c1});
  EXPECT_EQ(sharded.checkpoint_of("c", from), c1);

  auto parent = sharded.open_shard("p");
  ports::StreamPosition after_p1 = sharded.position_at("p", p1);
  EXPECT_EQ(drain(*parent, after_p1, 10), std::vector<std::string>{p2});
  EXPECT_EQ(sharded.checkpoint_of("p", after_p1), p2);
  fake_.close("p");
  auto end = parent->read(after_p1, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(end.ok()) << end.error().message;
  EXPECT_TRUE(end->records.empty());
  EXPECT_EQ(sharded.checkpoint_of("p", end->next), ports::kShardEnd);
  EXPECT_EQ(sharded.checkpoint_of("p", sharded.position_at("p", ports::kShardEnd)),
            ports::kShardEnd);
  auto after_end = parent->read(end->next, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(after_end.ok());
  EXPECT_TRUE(after_end->records.empty());
  EXPECT_EQ(after_end->next, end->next);
}

TEST_F(DynamoDbStreamFakeTest, ChildOfATrimmedParentIsReadable) {
  fake_.add_shard("shard-1", "shard-0-gone");
  std::string seq = fake_.put("shard-1");
  auto b = open()->read({}, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(seqs(*b), std::vector<std::string>{seq});
}

TEST_F(DynamoDbStreamFakeTest, SteadyReadsCostOneGetRecords) {
  fake_.add_shard("shard-1");
  fake_.put("shard-1");
  auto stream = open();
  auto b = stream->read({}, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(b.ok()) << b.error().message;
  int describe = fake_.calls("DescribeStream"), iterators = fake_.calls("GetShardIterator");
  int records = fake_.calls("GetRecords");
  for (int i = 0; i < 5; ++i) {
    std::string seq = fake_.put("shard-1");
    b = stream->read(b->next, 10, std::chrono::milliseconds(0));
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(seqs(*b), std::vector<std::string>{seq});
  }
  EXPECT_EQ(fake_.calls("DescribeStream"), describe);
  EXPECT_EQ(fake_.calls("GetShardIterator"), iterators);
  EXPECT_EQ(fake_.calls("GetRecords"), records + 5);
}

TEST_F(DynamoDbStreamFakeTest, ExpiredIteratorIsRenewedFromThePosition) {
  fake_.add_shard("shard-1");
  std::string s1 = fake_.put("shard-1"), s2 = fake_.put("shard-1");
  auto stream = open();
  auto b = stream->read({}, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(seqs(*b), (std::vector<std::string>{s1, s2}));
  std::string s3 = fake_.put("shard-1"), s4 = fake_.put("shard-1");
  fake_.expire_next(1);  // the cached iterator has expired
  auto c = stream->read(b->next, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(seqs(*c), (std::vector<std::string>{s3, s4}));
  auto renewals = fake_.requests("GetShardIterator");
  ASSERT_EQ(renewals.size(), 2u);
  EXPECT_NE(renewals[1].find("AFTER_SEQUENCE_NUMBER"), std::string::npos);
  EXPECT_NE(renewals[1].find(s2), std::string::npos);
  // Expiry on the first GetRecords of a new object (from TRIM_HORIZON) loses nothing either.
  fake_.expire_next(2);
  ports::StreamPosition from;
  EXPECT_EQ(drain(*open(), from, 3), (std::vector<std::string>{s1, s2, s3, s4}));
}

TEST_F(DynamoDbStreamFakeTest, TrimmedPositionIsNotFound) {
  fake_.add_shard("shard-1");
  for (int i = 0; i < 4; ++i) fake_.put("shard-1");
  auto stream = open();
  auto b = stream->read({}, 1, std::chrono::milliseconds(0));
  ASSERT_TRUE(b.ok()) << b.error().message;
  fake_.trim("shard-1", 3);
  auto fresh = open()->read(b->next, 10, std::chrono::milliseconds(0));
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(fresh.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fresh.error().message.rfind("TrimmedDataAccessException", 0), 0u) << fresh.error().message;
  // With a cached iterator the trim shows up on GetRecords: kNotFound too.
  auto cached = stream->read(b->next, 10, std::chrono::milliseconds(0));
  ASSERT_FALSE(cached.ok());
  EXPECT_EQ(cached.error().code, ErrorCode::kNotFound);
  // TRIM_HORIZON still reads what is retained.
  auto horizon = stream->read(stream->trim_horizon(), 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(horizon.ok()) << horizon.error().message;
  EXPECT_EQ(horizon->records.size(), 1u);
}

TEST_F(DynamoDbStreamFakeTest, UnfinishedShardNoLongerListedIsNotFound) {
  fake_.add_shard("shard-1");
  fake_.put("shard-1");
  fake_.put("shard-1");
  auto stream = open();
  auto b = stream->read({}, 1, std::chrono::milliseconds(0));
  ASSERT_TRUE(b.ok()) << b.error().message;
  fake_.remove_shard("shard-1");
  fake_.add_shard("shard-2");
  auto r = open()->read(b->next, 10, std::chrono::milliseconds(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  auto malformed = open()->read({"not a token"}, 10, std::chrono::milliseconds(0));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(DynamoDbStreamFakeTest, RereadingAPrefixGivesThatPrefixAndItsPosition) {
  fake_.add_shard("shard-a");
  fake_.add_shard("shard-b");
  for (int i = 0; i < 2; ++i) fake_.put("shard-a");
  for (int i = 0; i < 3; ++i) fake_.put("shard-b");
  auto stream = open();
  auto first = stream->read({}, 5, std::chrono::milliseconds(0));
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->records.size(), 5u);
  fake_.put("shard-a");  // a new record in the shard read first must not change the answer
  auto prefix = stream->read({}, 3, std::chrono::milliseconds(0));
  ASSERT_TRUE(prefix.ok()) << prefix.error().message;
  const std::vector<std::string> batch = seqs(*first);
  EXPECT_EQ(seqs(*prefix), std::vector<std::string>(batch.begin(), batch.begin() + 3));
  // From the prefix's position: the other two records of the batch, then the new one.
  ports::StreamPosition from = prefix->next;
  auto rest = drain(*stream, from, 10);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0], batch[3]);
  EXPECT_EQ(rest[1], batch[4]);
  // The whole batch re-read ends at the same position as the first read.
  auto again = stream->read({}, 5, std::chrono::milliseconds(0));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->next, first->next);
}

TEST_F(DynamoDbStreamFakeTest, LatestSkipsRecordsAndClosedShards) {
  fake_.add_shard("shard-0");
  fake_.put("shard-0");
  fake_.close("shard-0");
  fake_.add_shard("shard-1", "shard-0");
  fake_.put("shard-1");
  fake_.put("shard-1");
  fake_.add_shard("shard-2");  // open and empty
  auto stream = open();
  auto latest = stream->latest();
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  auto none = stream->read(*latest, 10, std::chrono::milliseconds(20));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->records.empty());
  EXPECT_EQ(none->next, *latest);
  std::string a = fake_.put("shard-1"), b = fake_.put("shard-2");
  ports::StreamPosition from = *latest;
  auto got = drain(*open(), from, 10);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{a, b}));
}

TEST_F(DynamoDbStreamFakeTest, ReadWaitsForARecord) {
  fake_.add_shard("shard-1");
  auto stream = open();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fake_.put("shard-1");
  });
  auto b = stream->read({}, 10, std::chrono::seconds(20));
  writer.join();
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->records.size(), 1u);
}

}  // namespace
}  // namespace cartflow::aws
