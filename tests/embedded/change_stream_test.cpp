// SPDX-License-Identifier: Apache-2.0
#include <thread>

#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using ports::ReturnValues;
using ports::StreamEventName;
using ports::StreamViewType;

TEST_F(TableTest, StreamRecordsInsertModifyRemoveWithImages) {
  put({{"PK", "a"}, {"SK", "1"}, {"v", num(1)}});
  clock_.advance_ms(5);
  put({{"PK", "a"}, {"SK", "1"}, {"v", num(2)}});
  ASSERT_TRUE(table_->remove({key("a", "1"), std::nullopt, ReturnValues::kNone}).ok());
  auto records = all_records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].event_name, StreamEventName::kInsert);
  EXPECT_EQ(records[1].event_name, StreamEventName::kModify);
  EXPECT_EQ(records[2].event_name, StreamEventName::kRemove);
  EXPECT_EQ(records[0].keys, key("a", "1"));
  EXPECT_FALSE(records[0].old_image);
  EXPECT_EQ(records[0].new_image->at("v"), num(1));
  EXPECT_EQ(records[1].old_image->at("v"), num(1));
  EXPECT_EQ(records[1].new_image->at("v"), num(2));
  EXPECT_EQ(records[2].old_image->at("v"), num(2));
  EXPECT_FALSE(records[2].new_image);
  EXPECT_EQ(records[0].approximate_creation_ms, ports::ManualClock().now_ms());
  EXPECT_EQ(records[1].approximate_creation_ms, records[0].approximate_creation_ms + 5);
  EXPECT_EQ(records[0].sequence_number.size(), 21u);
  EXPECT_LT(records[0].sequence_number, records[1].sequence_number);
  EXPECT_LT(records[1].sequence_number, records[2].sequence_number);
  EXPECT_NE(records[0].event_id, records[1].event_id);
  EXPECT_GT(records[0].size_bytes, 0u);
  EXPECT_EQ(records[0].view_type, StreamViewType::kNewAndOldImages);
}

TEST_F(TableTest, StreamViewTypesKeepOnlyTheirImages) {
  struct Case {
    StreamViewType view;
    bool new_image;
    bool old_image;
  };
  for (Case c : {Case{StreamViewType::kKeysOnly, false, false}, Case{StreamViewType::kNewImage, true, false},
                 Case{StreamViewType::kOldImage, false, true}}) {
    reopen(c.view);
    auto start = stream_->latest();
    ASSERT_TRUE(start.ok());
    put({{"PK", "a"}, {"SK", "1"}, {"v", num(static_cast<int>(c.view))}});
    put({{"PK", "a"}, {"SK", "1"}, {"v", num(100 + static_cast<int>(c.view))}});
    auto r = stream_->read(*start, 10, std::chrono::milliseconds(0));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->records.size(), 2u);
    const auto& modify = r->records[1];
    EXPECT_EQ(modify.keys, key("a", "1"));
    EXPECT_EQ(modify.new_image.has_value(), c.new_image);
    EXPECT_EQ(modify.old_image.has_value(), c.old_image);
    EXPECT_EQ(modify.view_type, c.view);
  }
  reopen(StreamViewType::kNone);
  auto start = stream_->latest();
  put({{"PK", "z"}, {"SK", "1"}});
  EXPECT_TRUE(stream_->read(*start, 10, std::chrono::milliseconds(0))->records.empty());
}

TEST_F(TableTest, UnchangedWritesAppendNothing) {
  put({{"PK", "a"}, {"SK", "1"}, {"v", num(1)}});
  auto start = stream_->latest();
  ASSERT_TRUE(start.ok());
  put({{"PK", "a"}, {"SK", "1"}, {"v", num("1.0")}});  // identical item
  model::Update same;
  same.set(path("v"), num(1));
  ASSERT_TRUE(table_->update({key("a", "1"), same, std::nullopt, ReturnValues::kNone}).ok());
  ASSERT_TRUE(table_->remove({key("missing", "1"), std::nullopt, ReturnValues::kNone}).ok());
  auto failed = table_->put({{{"PK", "a"}, {"SK", "1"}, {"v", num(9)}}, Cond::not_exists(path("PK")), ReturnValues::kNone});
  EXPECT_FALSE(failed.ok());
  auto r = stream_->read(*start, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->records.empty());
  EXPECT_EQ(r->next, *start);
}

TEST_F(TableTest, ReadPaginatesByPositionAndWaitsForCommits) {
  for (int i = 0; i < 5; ++i) put({{"PK", "a"}, {"SK", std::to_string(i)}});
  auto first = stream_->read({}, 2, std::chrono::milliseconds(0));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->records.size(), 2u);
  auto rest = stream_->read(first->next, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->records.size(), 3u);
  EXPECT_EQ(rest->records[0].keys.at("SK"), AttributeValue("2"));

  auto latest = stream_->latest();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, rest->next);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    put({{"PK", "late"}, {"SK", "1"}});
  });
  auto waited = stream_->read(*latest, 10, std::chrono::minutes(2));
  writer.join();
  ASSERT_TRUE(waited.ok());
  ASSERT_EQ(waited->records.size(), 1u);
  EXPECT_EQ(waited->records[0].keys.at("PK"), AttributeValue("late"));
}

TEST_F(TableTest, TransactionAppendsOneRecordPerChangedItem) {
  put({{"PK", "c"}, {"SK", "1"}});
  put({{"PK", "d"}, {"SK", "1"}});
  auto start = stream_->latest();
  std::vector<ports::TransactAction> actions{
      {ports::PutRequest{{{"PK", "o"}, {"SK", "1"}}, std::nullopt, ReturnValues::kNone}},
      {ports::ConditionCheck{key("d", "1"), Cond::exists(path("PK"))}},
      {ports::DeleteRequest{key("c", "1"), std::nullopt, ReturnValues::kNone}}};
  ASSERT_TRUE(table_->transact_write(actions, std::nullopt).ok());
  auto r = stream_->read(*start, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_EQ(r->records[0].event_name, StreamEventName::kInsert);
  EXPECT_EQ(r->records[1].event_name, StreamEventName::kRemove);
}

TEST_F(TableTest, TrimRemovesOldRecordsAndStalePositionsFail) {
  put({{"PK", "a"}, {"SK", "1"}});
  auto after_first = stream_->latest();
  put({{"PK", "a"}, {"SK", "2"}});
  clock_.advance_ms(23 * 3600 * 1000);
  put({{"PK", "a"}, {"SK", "3"}});
  auto before_trim = stream_->latest();
  clock_.advance_ms(2 * 3600 * 1000);  // first two are now older than 24 h
  auto trimmed = stream_->trim();
  ASSERT_TRUE(trimmed.ok()) << trimmed.error().message;
  EXPECT_EQ(*trimmed, 2);
  auto horizon = stream_->read({}, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(horizon.ok());
  ASSERT_EQ(horizon->records.size(), 1u);
  EXPECT_EQ(horizon->records[0].keys.at("SK"), AttributeValue("3"));
  auto stale = stream_->read(*after_first, 10, std::chrono::milliseconds(0));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, model::ErrorCode::kNotFound);
  EXPECT_NE(stale.error().message.find("TrimmedDataAccessException"), std::string::npos);
  auto current = stream_->read(*before_trim, 10, std::chrono::milliseconds(0));
  ASSERT_TRUE(current.ok());
  EXPECT_TRUE(current->records.empty());
  EXPECT_EQ(stream_->read({"12x"}, 1, std::chrono::milliseconds(0)).error().code,
            model::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace cartflow::embedded::testing
