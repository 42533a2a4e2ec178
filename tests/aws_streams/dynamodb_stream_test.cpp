// SPDX-License-Identifier: Apache-2.0
// DynamoDbChangeStream against DynamoDB Local's Streams API on 127.0.0.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "aws/dynamodb_stream.h"
#include "aws/dynamodb_table.h"
#include "dynamodb_local.h"

namespace cartflow::aws {
namespace {

using model::AttributeValue;
using model::ErrorCode;
using model::Item;
using ports::StreamEventName;
using testing::DynamoDbLocalTest;

class DynamoDbStreamTest : public DynamoDbLocalTest {
 protected:
  void SetUp() override {
    DynamoDbLocalTest::SetUp();
    if (HasFatalFailure()) return;
    streams_ = std::make_unique<JsonClient>(
        http_, creds_, ServiceEndpoint{local_->url(), "us-east-1", "dynamodb"}, dynamodb_streams_protocol());
    static std::atomic<int> n{0};
    ports::TableDescription d{"streams_" + std::to_string(++n), {"PK", "SK"}, {},
                              ports::StreamViewType::kNewAndOldImages};
    auto created = create_table(client(), d);
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto t = DynamoDbTable::open(client(), d.name);
    ASSERT_TRUE(t.ok()) << t.error().message;
    table_ = std::move(t).value();
    auto arn = latest_stream_arn(client(), d.name);
    ASSERT_TRUE(arn.ok()) << arn.error().message;
    arn_ = *arn;
    stream_ = open();
  }
  std::unique_ptr<DynamoDbChangeStream> open() {
    return std::make_unique<DynamoDbChangeStream>(*streams_, arn_, ports::StreamViewType::kNewAndOldImages,
                                                  std::chrono::milliseconds(50));
  }
  static Item item(const std::string& pk, int v) {
    return {{"PK", pk}, {"SK", "s"}, {"v", AttributeValue::integer(v)}};
  }
  void put(const std::string& pk, int v) { ASSERT_TRUE(table_->put({item(pk, v)}).ok()); }
  static std::vector<std::string> pks(const std::vector<ports::StreamRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(*r.keys.at("PK").as_s());
    return out;
  }
  ports::StreamBatch read(DynamoDbChangeStream& s, const ports::StreamPosition& from, std::size_t limit,
                          std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    auto b = s.read(from, limit, wait);
    EXPECT_TRUE(b.ok()) << b.error().message;
    return b.ok() ? std::move(b).value() : ports::StreamBatch{{}, from};
  }

  HttpClient http_;
  StaticCredentialsProvider creds_{Credentials{"test", "test", "", std::nullopt}};
  std::unique_ptr<JsonClient> streams_;
  std::unique_ptr<DynamoDbTable> table_;
  std::string arn_;
  std::unique_ptr<DynamoDbChangeStream> stream_;
};

TEST_F(DynamoDbStreamTest, PutUpdateDeleteAreInsertModifyRemoveInOrder) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  put("a", 1);
  model::Update set;
  set.set(model::path("v"), AttributeValue::integer(2));
  ASSERT_TRUE(table_->update({{{"PK", "a"}, {"SK", "s"}}, set}).ok());
  ASSERT_TRUE(table_->remove({{{"PK", "a"}, {"SK", "s"}}}).ok());
  const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  auto b = read(*stream_, stream_->trim_horizon(), 10);
  ASSERT_EQ(b.records.size(), 3u);
  const Item key{{"PK", "a"}, {"SK", "s"}};
  const auto& ins = b.records[0];
  const auto& mod = b.records[1];
  const auto& rem = b.records[2];
  EXPECT_EQ(ins.event_name, StreamEventName::kInsert);
  EXPECT_EQ(mod.event_name, StreamEventName::kModify);
  EXPECT_EQ(rem.event_name, StreamEventName::kRemove);
  for (const auto& r : b.records) {
    EXPECT_EQ(r.keys, key);
    EXPECT_FALSE(r.event_id.empty());
    EXPECT_EQ(r.view_type, ports::StreamViewType::kNewAndOldImages);
    EXPECT_GT(r.size_bytes, 0u);
    // Rounded down by DynamoDB (to the second on AWS, to the minute by DynamoDB Local).
    EXPECT_GE(r.approximate_creation_ms, before - 60'000);
    EXPECT_LE(r.approximate_creation_ms, after);
  }
  EXPECT_LT(ins.sequence_number, mod.sequence_number);
  EXPECT_LT(mod.sequence_number, rem.sequence_number);
  EXPECT_EQ(ins.new_image, item("a", 1));
  EXPECT_FALSE(ins.old_image);
  EXPECT_EQ(mod.old_image, item("a", 1));
  EXPECT_EQ(mod.new_image, item("a", 2));
  EXPECT_EQ(rem.old_image, item("a", 2));
  EXPECT_FALSE(rem.new_image);
}

TEST_F(DynamoDbStreamTest, LimitLeavesTheRestForTheNextRead) {
  for (int i = 0; i < 5; ++i) put("k" + std::to_string(i), i);
  auto first = read(*stream_, {}, 2);
  EXPECT_EQ(pks(first.records), (std::vector<std::string>{"k0", "k1"}));
  auto second = read(*stream_, first.next, 2);
  EXPECT_EQ(pks(second.records), (std::vector<std::string>{"k2", "k3"}));
  auto third = read(*stream_, second.next, 10);
  EXPECT_EQ(pks(third.records), (std::vector<std::string>{"k4"}));
  auto none = read(*stream_, third.next, 10);
  EXPECT_TRUE(none.records.empty());
  EXPECT_EQ(none.next, third.next);
}

TEST_F(DynamoDbStreamTest, SerializedPositionResumesInANewObject) {
  for (int i = 0; i < 5; ++i) put("k" + std::to_string(i), i);
  auto first = read(*stream_, {}, 3);
  ASSERT_EQ(first.records.size(), 3u);
  const std::string saved = first.next.token;  // what the stream mapping stores
  stream_.reset();
  auto restarted = open();
  auto rest = read(*restarted, ports::StreamPosition{saved}, 10);
  EXPECT_EQ(pks(rest.records), (std::vector<std::string>{"k3", "k4"}));
  put("k5", 5);
  auto more = read(*restarted, rest.next, 10);
  EXPECT_EQ(pks(more.records), (std::vector<std::string>{"k5"}));
  // A partial re-read (how the mapping checkpoints part of a batch) gives the same prefix and
  // position in the object that read the batch and in a new one.
  auto prefix = read(*restarted, ports::StreamPosition{saved}, 1);
  auto prefix_new = read(*open(), ports::StreamPosition{saved}, 1);
  EXPECT_EQ(pks(prefix.records), std::vector<std::string>{"k3"});
  EXPECT_EQ(pks(prefix_new.records), std::vector<std::string>{"k3"});
  EXPECT_EQ(prefix.next, prefix_new.next);
  EXPECT_EQ(pks(read(*open(), prefix.next, 10).records), (std::vector<std::string>{"k4", "k5"}));
}

TEST_F(DynamoDbStreamTest, LatestSkipsEarlierRecords) {
  for (int i = 0; i < 3; ++i) put("old" + std::to_string(i), i);
  auto latest = stream_->latest();
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  EXPECT_FALSE(latest->token.empty());
  put("new0", 0);
  put("new1", 1);
  EXPECT_EQ(pks(read(*stream_, *latest, 10).records), (std::vector<std::string>{"new0", "new1"}));
  EXPECT_EQ(pks(read(*open(), *latest, 10).records), (std::vector<std::string>{"new0", "new1"}));
}

TEST_F(DynamoDbStreamTest, ReadWaitsForRecordsWrittenMeanwhile) {
  auto latest = stream_->latest();
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    put("late", 1);
  });
  auto b = read(*stream_, *latest, 10, std::chrono::seconds(30));
  writer.join();
  EXPECT_EQ(pks(b.records), std::vector<std::string>{"late"});
}

TEST_F(DynamoDbStreamTest, EmptyStreamWaitsThenReturnsNothing) {
  auto latest = stream_->latest();
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  const auto wait = std::chrono::milliseconds(400);
  const auto start = std::chrono::steady_clock::now();
  auto b = read(*stream_, *latest, 10, wait);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(b.records.empty());
  EXPECT_EQ(b.next, *latest);
  EXPECT_GE(took, wait);  // it waited (no upper bound: the machine may be slow)
  RecordProperty("empty_read_ms",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

// Not a timing assertion: prints the cost of a steady read of one new record (one GetRecords).
TEST_F(DynamoDbStreamTest, SteadyReadOfOneRecordIsMeasured) {
  auto position = stream_->latest();
  ASSERT_TRUE(position.ok()) << position.error().message;
  ports::StreamPosition from = *position;
  std::vector<double> ms;
  for (int i = 0; i < 30; ++i) {
    put("m" + std::to_string(i), i);
    const auto start = std::chrono::steady_clock::now();
    auto b = read(*stream_, from, 10);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    ASSERT_EQ(b.records.size(), 1u);
    from = b.next;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("steady read of 1 record: median %.2f ms, max %.2f ms (30 reads)\n", ms[ms.size() / 2], ms.back());
  RecordProperty("steady_read_median_us", static_cast<int>(ms[ms.size() / 2] * 1000));
}

TEST_F(DynamoDbStreamTest, LatestStreamArnNeedsATableWithAStream) {
  EXPECT_NE(arn_.find("/stream/"), std::string::npos);
  auto missing = latest_stream_arn(client(), "no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  ports::TableDescription plain{table_->describe().name + "_plain", {"PK", std::nullopt}, {}, {}};
  ASSERT_TRUE(create_table(client(), plain).ok());
  auto none = latest_stream_arn(client(), plain.name);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace cartflow::aws
