// SPDX-License-Identifier: Apache-2.0
#include "table_fixture.h"

namespace cartflow::embedded::testing {
namespace {

using ports::ReturnValues;
using ports::TransactAction;

TransactAction put_action(Item item, std::optional<Cond> c = std::nullopt) {
  return {ports::PutRequest{std::move(item), std::move(c), ReturnValues::kNone}};
}

TEST_F(TableTest, TransactionAppliesAllActions) {
  put({{"PK", "cart"}, {"SK", "1"}, {"status", "IN_CART"}});
  put({{"PK", "gone"}, {"SK", "1"}});
  model::Update u;
  u.set(path("status"), "ORDERED");
  std::vector<TransactAction> actions{
      put_action({{"PK", "order"}, {"SK", "1"}}, Cond::not_exists(path("PK"))),
      {ports::UpdateRequest{key("cart", "1"), u, Cond::eq(path("status"), "IN_CART"), ReturnValues::kNone}},
      {ports::DeleteRequest{key("gone", "1"), std::nullopt, ReturnValues::kNone}},
  };
  auto s = table_->transact_write(actions, std::nullopt);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(get("order", "1"));
  EXPECT_EQ(get("cart", "1")->at("status"), AttributeValue("ORDERED"));
  EXPECT_FALSE(get("gone", "1"));
}

TEST_F(TableTest, TransactionIsAllOrNothingWithCancellationReasons) {
  put({{"PK", "stock"}, {"SK", "1"}, {"qty", num("0")}});
  std::vector<TransactAction> actions{
      put_action({{"PK", "order"}, {"SK", "1"}}, Cond::not_exists(path("PK"))),
      {ports::ConditionCheck{key("stock", "1"), Cond::compare(model::Comparator::kGt, model::operand(path("qty")),
                                                             model::operand(num("0")))}},
  };
  std::size_t records_before = all_records().size();
  auto s = table_->transact_write(actions, std::nullopt);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, model::ErrorCode::kConditionFailed);
  ASSERT_EQ(s.error().cancellation_reasons.size(), 2u);
  EXPECT_EQ(s.error().cancellation_reasons[0].code, "None");
  EXPECT_EQ(s.error().cancellation_reasons[1].code, "ConditionalCheckFailed");
  EXPECT_NE(s.error().message.find("[None, ConditionalCheckFailed]"), std::string::npos);
  EXPECT_FALSE(get("order", "1"));
  EXPECT_EQ(all_records().size(), records_before);
}

TEST_F(TableTest, TransactionValidationErrorIsAReason) {
  put({{"PK", "a"}, {"SK", "1"}, {"s", "text"}});
  model::Update u;
  u.add(path("s"), num(1));
  std::vector<TransactAction> actions{
      put_action({{"PK", "b"}, {"SK", "1"}}),
      {ports::UpdateRequest{key("a", "1"), u, std::nullopt, ReturnValues::kNone}},
  };
  auto s = table_->transact_write(actions, std::nullopt);
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().cancellation_reasons.size(), 2u);
  EXPECT_EQ(s.error().cancellation_reasons[1].code, "ValidationError");
  EXPECT_FALSE(get("b", "1"));
}

TEST_F(TableTest, TransactionRejectsTwoActionsOnOneItemAndTooManyActions) {
  std::vector<TransactAction> dup{put_action({{"PK", "a"}, {"SK", "1"}}),
                                  {ports::DeleteRequest{key("a", "1"), std::nullopt, ReturnValues::kNone}}};
  auto s = table_->transact_write(dup, std::nullopt);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, model::ErrorCode::kInvalidArgument);
  std::vector<TransactAction> many;
  for (int i = 0; i < 101; ++i) many.push_back(put_action({{"PK", "a"}, {"SK", std::to_string(i)}}));
  EXPECT_FALSE(table_->transact_write(many, std::nullopt).ok());
  many.pop_back();
  EXPECT_TRUE(table_->transact_write(many, std::nullopt).ok());
}

TEST_F(TableTest, ClientRequestTokenMakesRetriesIdempotentForTenMinutes) {
  model::Update inc;
  inc.add(path("n"), num(1));
  std::vector<TransactAction> actions{{ports::UpdateRequest{key("c", "1"), inc, std::nullopt, ReturnValues::kNone}}};
  ASSERT_TRUE(table_->transact_write(actions, std::string("tok-1")).ok());
  ASSERT_TRUE(table_->transact_write(actions, std::string("tok-1")).ok());  // retry: not applied
  EXPECT_EQ(get("c", "1")->at("n"), num(1));

  model::Update other;
  other.add(path("n"), num(5));
  std::vector<TransactAction> different{{ports::UpdateRequest{key("c", "1"), other, std::nullopt, ReturnValues::kNone}}};
  auto mismatch = table_->transact_write(different, std::string("tok-1"));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("IdempotentParameterMismatch"), std::string::npos);

  clock_.advance_ms(10 * 60 * 1000 + 1);
  ASSERT_TRUE(table_->transact_write(actions, std::string("tok-1")).ok());  // token expired
  EXPECT_EQ(get("c", "1")->at("n"), num(2));
  ASSERT_TRUE(table_->transact_write(actions, std::string("tok-2")).ok());
  EXPECT_EQ(get("c", "1")->at("n"), num(3));
}

TEST_F(TableTest, FailedTransactionDoesNotConsumeItsToken) {
  std::vector<TransactAction> actions{put_action({{"PK", "a"}, {"SK", "1"}}, Cond::exists(path("PK")))};
  EXPECT_FALSE(table_->transact_write(actions, std::string("tok")).ok());
  put({{"PK", "a"}, {"SK", "1"}, {"v", num(1)}});
  // Same request again: now the condition holds and it applies.
  EXPECT_TRUE(table_->transact_write(actions, std::string("tok")).ok());
  EXPECT_FALSE(get("a", "1")->count("v"));
}

// Found by the differential test: a static error rejects the request (no reasons); an update's
// condition is checked before the update, and an update of a key is a ValidationError reason.
TEST_F(TableTest, TransactionStaticErrorsRejectTheRequestAndConditionsComeFirst) {
  put({{"PK", "a"}, {"SK", "1"}, {"s", "text"}});
  Cond bad = Cond::between(model::operand(path("s")), model::operand(num(5)), model::operand(num(1)));
  std::vector<TransactAction> actions{
      put_action({{"PK", "b"}, {"SK", "1"}}, Cond::not_exists(path("PK"))),
      {ports::ConditionCheck{key("a", "1"), bad}},
  };
  auto s = table_->transact_write(actions, std::nullopt);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, model::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(s.error().cancellation_reasons.empty());

  model::Update add_number;
  add_number.add(path("s"), num(1));  // fails on the item's data...
  model::Update set_key;
  set_key.set(path("SK"), "2");
  actions = {
      {ports::UpdateRequest{key("a", "1"), add_number, Cond::not_exists(path("PK")),
                            ReturnValues::kNone}},  // ...but its condition fails first
      {ports::UpdateRequest{key("c", "1"), set_key, std::nullopt, ReturnValues::kNone}},
  };
  s = table_->transact_write(actions, std::nullopt);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, model::ErrorCode::kConditionFailed);
  ASSERT_EQ(s.error().cancellation_reasons.size(), 2u);
  EXPECT_EQ(s.error().cancellation_reasons[0].code, "ConditionalCheckFailed");
  EXPECT_EQ(s.error().cancellation_reasons[1].code, "ValidationError");
}
}  // namespace
}  // namespace cartflow::embedded::testing
