// SPDX-License-Identifier: Apache-2.0
#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using ports::ReturnValues;

TEST_F(TableTest, PutThenGetReturnsTheItem) {
  Item item{{"PK", "u#1"}, {"SK", "o#1"}, {"total", num("12.50")}, {"tags", model::StringSet{{"a", "b"}}},
            {"blob", model::Bytes{std::string("\0\1\2", 3)}}, {"nested", model::Map{{"x", model::List{true, model::Null{}}}}}};
  put(item);
  auto got = get("u#1", "o#1");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, item);
  EXPECT_FALSE(get("u#1", "o#2"));
}

TEST_F(TableTest, GetAppliesProjection) {
  put({{"PK", "a"}, {"SK", "b"}, {"x", num(1)}, {"y", num(2)}});
  model::Projection p{{path("x")}};
  auto r = table_->get({key("a", "b"), true, p});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(*r);
  EXPECT_EQ(**r, (Item{{"x", num(1)}}));
}

TEST_F(TableTest, KeysAreValidated) {
  auto missing = table_->put({{{"PK", "a"}}, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("Missing the key SK"), std::string::npos);
  auto bad_type = table_->put({{{"PK", "a"}, {"SK", true}}, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.error().code, model::ErrorCode::kInvalidArgument);
  auto empty = table_->put({{{"PK", ""}, {"SK", "x"}}, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("empty string"), std::string::npos);
  auto extra = table_->get({{{"PK", "a"}, {"SK", "b"}, {"z", num(1)}}, true, std::nullopt});
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.error().message.find("does not match the schema"), std::string::npos);
}

TEST_F(TableTest, ItemOver400KBIsRejected) {
  Item big{{"PK", "a"}, {"SK", "b"}, {"data", std::string(400 * 1024, 'x')}};
  auto r = table_->put({big, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  Item fits{{"PK", "a"}, {"SK", "b"}, {"data", std::string(300 * 1024, 'x')}};
  EXPECT_TRUE(table_->put({fits, std::nullopt, ReturnValues::kNone}).ok());
}

TEST_F(TableTest, PutConditionFailsWithDynamoMessage) {
  put({{"PK", "a"}, {"SK", "b"}, {"v", num(1)}});
  auto r = table_->put({{{"PK", "a"}, {"SK", "b"}, {"v", num(2)}}, Cond::not_exists(path("PK")),
                        ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kConditionFailed);
  EXPECT_EQ(r.error().message, "The conditional request failed");
  EXPECT_EQ(get("a", "b")->at("v"), num(1));
  auto ok = table_->put({{{"PK", "a"}, {"SK", "b"}, {"v", num(2)}}, Cond::eq(path("v"), num(1)),
                         ReturnValues::kAllOld});
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->attributes);
  EXPECT_EQ(ok->attributes->at("v"), num(1));
}

TEST_F(TableTest, PutRejectsUpdatedReturnValues) {
  auto r = table_->put({{{"PK", "a"}, {"SK", "b"}}, std::nullopt, ReturnValues::kAllNew});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
}

TEST_F(TableTest, UpdateCreatesItemAndReturnsValues) {
  model::Update u;
  u.set(path("count"), num(1)).set(path("name"), "x");
  auto r = table_->update({key("a", "b"), u, std::nullopt, ReturnValues::kAllNew});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->attributes, (Item{{"PK", "a"}, {"SK", "b"}, {"count", num(1)}, {"name", "x"}}));

  model::Update add;
  add.add(path("count"), num(2));
  auto old = table_->update({key("a", "b"), add, std::nullopt, ReturnValues::kUpdatedOld});
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old->attributes, (Item{{"count", num(1)}}));
  auto fresh = table_->update({key("a", "b"), add, std::nullopt, ReturnValues::kUpdatedNew});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(*fresh->attributes, (Item{{"count", num(5)}}));
  auto all_old = table_->update({key("a", "b"), add, std::nullopt, ReturnValues::kAllOld});
  ASSERT_TRUE(all_old.ok());
  EXPECT_EQ(all_old->attributes->at("count"), num(5));
  EXPECT_EQ(all_old->attributes->at("name"), AttributeValue("x"));
  EXPECT_EQ(get("a", "b")->at("count"), num(7));
}

TEST_F(TableTest, UpdateOfKeyAttributeIsRejected) {
  model::Update u;
  u.set(path("PK"), "other");
  auto r = table_->update({key("a", "b"), u, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("Cannot update attribute PK. This attribute is part of the key"),
            std::string::npos);
  EXPECT_FALSE(get("a", "b"));
}

TEST_F(TableTest, UpdateConditionOnMissingItemFails) {
  model::Update u;
  u.set(path("status"), "ORDERED");
  auto r = table_->update({key("a", "b"), u, Cond::exists(path("PK")), ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kConditionFailed);
  EXPECT_FALSE(get("a", "b"));
}

TEST_F(TableTest, UpdateValidationErrorLeavesItemUnchanged) {
  put({{"PK", "a"}, {"SK", "b"}, {"s", "text"}});
  model::Update u;
  u.add(path("s"), num(1));
  auto r = table_->update({key("a", "b"), u, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_EQ(get("a", "b")->at("s"), AttributeValue("text"));
}

TEST_F(TableTest, DeleteWithConditionAndReturnValues) {
  put({{"PK", "a"}, {"SK", "b"}, {"v", num(1)}});
  auto failed = table_->remove({key("a", "b"), Cond::eq(path("v"), num(2)), ReturnValues::kAllOld});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, model::ErrorCode::kConditionFailed);
  auto r = table_->remove({key("a", "b"), Cond::eq(path("v"), num(1)), ReturnValues::kAllOld});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attributes->at("v"), num(1));
  EXPECT_FALSE(get("a", "b"));
  auto again = table_->remove({key("a", "b"), std::nullopt, ReturnValues::kAllOld});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->attributes);
}

TEST_F(TableTest, BatchGetReturnsFoundItemsAndRejectsDuplicatesAndTooMany) {
  put({{"PK", "a"}, {"SK", "1"}});
  put({{"PK", "a"}, {"SK", "2"}});
  auto r = table_->batch_get({key("a", "1"), key("a", "2"), key("a", "3")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->items.size(), 2u);
  auto dup = table_->batch_get({key("a", "1"), key("a", "1")});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicates"), std::string::npos);
  std::vector<Item> many;
  for (int i = 0; i < 101; ++i) many.push_back(key("a", std::to_string(i)));
  EXPECT_FALSE(table_->batch_get(many).ok());
}

TEST_F(TableTest, BatchWritePutsAndDeletesAndRejectsDuplicates) {
  put({{"PK", "a"}, {"SK", "old"}});
  std::vector<ports::WriteRequest> reqs;
  for (int i = 0; i < 24; ++i) {
    reqs.push_back({ports::PutRequest{{{"PK", "a"}, {"SK", std::to_string(i)}}, std::nullopt, ReturnValues::kNone}});
  }
  reqs.push_back({ports::DeleteRequest{key("a", "old"), std::nullopt, ReturnValues::kNone}});
  auto r = table_->batch_write(reqs);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->unprocessed.empty());
  EXPECT_FALSE(get("a", "old"));
  EXPECT_TRUE(get("a", "23"));
  reqs.push_back({ports::DeleteRequest{key("a", "x"), std::nullopt, ReturnValues::kNone}});
  EXPECT_FALSE(table_->batch_write(reqs).ok());  // 26 requests
  std::vector<ports::WriteRequest> dup{
      {ports::PutRequest{{{"PK", "a"}, {"SK", "1"}}, std::nullopt, ReturnValues::kNone}},
      {ports::DeleteRequest{key("a", "1"), std::nullopt, ReturnValues::kNone}}};
  auto d = table_->batch_write(dup);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("duplicates"), std::string::npos);
}

TEST_F(TableTest, SeveralTablesShareOneDatabase) {
  ports::TableDescription other{"other", {"PK", std::string("SK")}, {}, ports::StreamViewType::kNone};
  SqliteTable second(*db_, other, clock_);
  put({{"PK", "a"}, {"SK", "b"}, {"which", "orders"}});
  ASSERT_TRUE(second.put({{{"PK", "a"}, {"SK", "b"}, {"which", "other"}}, std::nullopt, ReturnValues::kNone}).ok());
  EXPECT_EQ(get("a", "b")->at("which"), AttributeValue("orders"));
  auto r = second.get({key("a", "b"), true, std::nullopt});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->at("which"), AttributeValue("other"));
}

TEST_F(TableTest, DataSurvivesReopen) {
  put({{"PK", "a"}, {"SK", "b"}, {"v", num("3.14")}});
  reopen();
  EXPECT_EQ(get("a", "b")->at("v"), num("3.14"));
}

// Found by the differential test (docs/KNOWN_DIFFERENCES.md): DynamoDB checks an update
// expression before the condition, and an update of a key attribute after it.
TEST_F(TableTest, StaticUpdateErrorsComeBeforeTheConditionKeyUpdatesAfter) {
  put({{"PK", "a"}, {"SK", "1"}, {"s", "x"}});
  Cond absent = Cond::not_exists(path("PK"));
  model::Update add_string;
  add_string.add(path("s"), "y");
  auto r = table_->update({key("a", "1"), add_string, absent, ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
  model::Update set_key;
  set_key.set(path("SK"), "2");
  r = table_->update({key("a", "1"), set_key, absent, ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kConditionFailed);
  model::Update remove_through_bytes;
  remove_through_bytes.remove(model::path_of("s[1]"));
  r = table_->update({key("a", "1"), remove_through_bytes, std::nullopt, ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);
}

TEST_F(TableTest, EmptyIndexKeyAndOverlappingProjectionAreRejected) {
  put({{"PK", "a"}, {"SK", "1"}, {"m", model::Map{{"x", num(1)}}}});
  auto r = table_->put({{{"PK", "a"}, {"SK", "1"}, {"status", ""}}, Cond::not_exists(path("PK")),
                        ReturnValues::kNone});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, model::ErrorCode::kInvalidArgument);  // before the condition
  EXPECT_NE(r.error().message.find("IndexKey: status"), std::string::npos) << r.error().message;
  auto g = table_->get({key("a", "1"), true, model::Projection{{path("m"), model::path_of("m.x")}}});
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, model::ErrorCode::kInvalidArgument);
}
}  // namespace
}  // namespace cartflow::embedded::testing
