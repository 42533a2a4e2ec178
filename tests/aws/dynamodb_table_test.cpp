// SPDX-License-Identifier: Apache-2.0
// The Table port over DynamoDB's protocol, against DynamoDB Local on 127.0.0.1.
#include <gtest/gtest.h>

#include <atomic>

#include "aws/dynamodb_table.h"
#include "dynamodb_local.h"

namespace cartflow::aws {
namespace {

using model::AttributeValue;
using model::Cond;
using model::ErrorCode;
using model::Item;
using model::path;
using testing::DynamoDbLocalTest;

class DynamoDbTableTest : public DynamoDbLocalTest {
 protected:
  void SetUp() override {
    DynamoDbLocalTest::SetUp();
    if (HasFatalFailure()) return;
    static std::atomic<int> n{0};
    ports::TableDescription d{"table_" + std::to_string(++n), {"PK", "SK"},
                              {{"GSI1", {"GSI1PK", "GSI1SK"}}},
                              ports::StreamViewType::kNewAndOldImages};
    auto created = create_table(client(), d);
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto t = DynamoDbTable::open(client(), d.name);
    ASSERT_TRUE(t.ok()) << t.error().message;
    table_ = std::move(t).value();
  }
  static Item key(const std::string& pk, const std::string& sk) { return {{"PK", pk}, {"SK", sk}}; }
  std::unique_ptr<DynamoDbTable> table_;
};

TEST_F(DynamoDbTableTest, OpenDescribesKeysIndexesAndStream) {
  const auto& d = table_->describe();
  EXPECT_EQ(d.keys.hash_name, "PK");
  EXPECT_EQ(d.keys.range_name, "SK");
  ASSERT_EQ(d.indexes.size(), 1u);
  EXPECT_EQ(d.indexes[0].name, "GSI1");
  EXPECT_EQ(d.indexes[0].keys.range_name, "GSI1SK");
  EXPECT_EQ(d.stream_view, ports::StreamViewType::kNewAndOldImages);
  auto missing = DynamoDbTable::open(client(), "no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(DynamoDbTableTest, PutGetUpdateDeleteWithReturnValues) {
  Item item = key("u#1", "cart#p1");
  item["qty"] = AttributeValue::integer(2);
  item["name"] = "Zoë \"quoted\" 😀";
  item["tags"] = model::StringSet{{"a", "b"}};
  item["blob"] = model::Bytes{std::string("\x00\xff", 2)};
  item["nested"] = model::Map{{"list", model::List{AttributeValue::integer(1), true, model::Null{}}}};
  ASSERT_TRUE(table_->put({item}).ok());
  auto got = table_->get({key("u#1", "cart#p1")});
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, item);

  auto projected = table_->get({key("u#1", "cart#p1"), true, model::Projection{{path("qty")}}});
  EXPECT_EQ(**projected, (Item{{"qty", AttributeValue::integer(2)}}));

  model::Update u;
  u.set(path("qty"), model::SetValue{model::SetValue::Plus{model::operand(path("qty")),
                                                          model::operand(AttributeValue::integer(3))}});
  u.remove(path("blob"));
  auto updated = table_->update({key("u#1", "cart#p1"), u, Cond::eq(path("qty"), AttributeValue::integer(2)),
                                 ports::ReturnValues::kUpdatedNew});
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(*updated->attributes, (Item{{"qty", AttributeValue::integer(5)}}));

  auto removed = table_->remove({key("u#1", "cart#p1"), std::nullopt, ports::ReturnValues::kAllOld});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->attributes->at("qty"), AttributeValue::integer(5));
  EXPECT_FALSE(table_->get({key("u#1", "cart#p1")})->has_value());
}

TEST_F(DynamoDbTableTest, FailedConditionIsConditionFailedAndChangesNothing) {
  Item item = key("u#2", "x");
  item["v"] = AttributeValue::integer(1);
  ASSERT_TRUE(table_->put({item, Cond::not_exists(path("PK"))}).ok());
  Item other = item;
  other["v"] = AttributeValue::integer(9);
  auto again = table_->put({other, Cond::not_exists(path("PK"))});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConditionFailed);
  EXPECT_EQ((**table_->get({key("u#2", "x")})).at("v"), AttributeValue::integer(1));
  auto bad = table_->put({Item{{"PK", "only-hash"}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(DynamoDbTableTest, QueryPagesBackwardsFiltersAndUsesTheIndex) {
  for (int i = 0; i < 7; ++i) {
    Item item = key("q", "s" + std::to_string(i));
    item["n"] = AttributeValue::integer(i);
    item["GSI1PK"] = "g";
    item["GSI1SK"] = "k" + std::to_string(6 - i);
    ASSERT_TRUE(table_->put({item}).ok());
  }
  std::vector<std::string> seen;
  ports::QueryRequest q{std::nullopt, model::KeyCondition::hash("PK", "q")};
  q.limit = 3;
  q.scan_forward = false;
  int pages = 0;
  do {
    auto r = table_->query(q);
    ASSERT_TRUE(r.ok()) << r.error().message;
    for (const auto& item : r->items) seen.push_back(*item.at("SK").as_s());
    q.exclusive_start_key = r->last_evaluated_key;
    ++pages;
  } while (q.exclusive_start_key);
  EXPECT_EQ(seen, (std::vector<std::string>{"s6", "s5", "s4", "s3", "s2", "s1", "s0"}));
  EXPECT_GE(pages, 3);

  ports::QueryRequest f{std::nullopt, model::KeyCondition::hash("PK", "q").range_is(
                                          "SK", model::KeyCondition::RangeOp::kBetween, "s1", "s5")};
  f.filter = Cond::compare(model::Comparator::kGe, model::operand(path("n")),
                           model::operand(AttributeValue::integer(4)));
  auto filtered = table_->query(f);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->items.size(), 2u);
  EXPECT_EQ(filtered->scanned_count, 5u);

  ports::QueryRequest g{std::string("GSI1"), model::KeyCondition::hash("GSI1PK", "g").range_is(
                                                 "GSI1SK", model::KeyCondition::RangeOp::kBeginsWith, "k")};
  auto by_index = table_->query(g);
  ASSERT_TRUE(by_index.ok()) << by_index.error().message;
  ASSERT_EQ(by_index->items.size(), 7u);
  EXPECT_EQ(*by_index->items.front().at("SK").as_s(), "s6");
}

TEST_F(DynamoDbTableTest, BatchWriteAndBatchGet) {
  std::vector<ports::WriteRequest> writes;
  for (int i = 0; i < 25; ++i) {
    Item item = key("b", std::to_string(i));
    item["payload"] = std::string(1000, 'x');
    writes.push_back({ports::PutRequest{item}});
  }
  auto w = table_->batch_write(writes);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_TRUE(w->unprocessed.empty());
  std::vector<Item> keys;
  for (int i = 0; i < 30; ++i) keys.push_back(key("b", std::to_string(i)));
  auto g = table_->batch_get(keys);
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->items.size(), 25u);
  EXPECT_TRUE(g->unprocessed_keys.empty());
  auto d = table_->batch_write({{ports::DeleteRequest{key("b", "0")}}, {ports::DeleteRequest{key("b", "1")}}});
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(table_->get({key("b", "0")})->has_value());
}

TEST_F(DynamoDbTableTest, TransactionsCommitAllOrReportCancellationReasons) {
  Item a = key("t", "a");
  a["n"] = AttributeValue::integer(1);
  model::Update inc;
  inc.add(path("n"), AttributeValue::integer(10));
  auto ok = table_->transact_write({{ports::PutRequest{a, Cond::not_exists(path("PK"))}},
                                    {ports::UpdateRequest{key("t", "b"), inc}}},
                                   std::string("token-1"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  // Same token, same request: idempotent, not applied twice.
  ASSERT_TRUE(table_->transact_write({{ports::PutRequest{a, Cond::not_exists(path("PK"))}},
                                      {ports::UpdateRequest{key("t", "b"), inc}}},
                                     std::string("token-1")).ok());
  EXPECT_EQ((**table_->get({key("t", "b")})).at("n"), AttributeValue::integer(10));

  auto cancelled = table_->transact_write(
      {{ports::UpdateRequest{key("t", "b"), inc}},
       {ports::ConditionCheck{key("t", "a"), Cond::eq(path("n"), AttributeValue::integer(2))}},
       {ports::DeleteRequest{key("t", "c")}}},
      std::nullopt);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, ErrorCode::kConditionFailed);
  ASSERT_EQ(cancelled.error().cancellation_reasons.size(), 3u);
  EXPECT_EQ(cancelled.error().cancellation_reasons[0].code, "None");
  EXPECT_EQ(cancelled.error().cancellation_reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(cancelled.error().cancellation_reasons[2].code, "None");
  EXPECT_EQ((**table_->get({key("t", "b")})).at("n"), AttributeValue::integer(10));
}

}  // namespace
}  // namespace cartflow::aws
