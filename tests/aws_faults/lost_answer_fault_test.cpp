// SPDX-License-Identifier: Apache-2.0
// Writes that DynamoDB applied but whose answer was lost (the proxy resets the connection after
// forwarding), and kept-alive connections that went stale, through a fault proxy in front of
// DynamoDB Local. What must hold: no write is applied twice where DynamoDB would not apply it
// twice (transactions carry a ClientRequestToken, as the SDKs send one), conditional writes
// report the condition failure of the retry, and stale connections never surface an error.
#include <gtest/gtest.h>

#include "fault_fixture.h"

namespace cartflow::aws::testing {
namespace {

using model::ErrorCode;

class LostAnswers : public FaultProxyTest {
 protected:
  // A transaction that creates `order` (once only) and adds 1 to the counter "count".
  std::vector<ports::TransactAction> place(const std::string& order) {
    return {ports::TransactAction{ports::PutRequest{item(order, 1), model::Cond::not_exists(model::path("PK"))}},
            ports::TransactAction{add_one("count")}};
  }
  void lose_next_answer() {
    mark();
    proxy_->set(Fault{FaultKind::kResetAfterForward, 1, {}, {}});
  }
};

TEST_F(LostAnswers, TransactionWithTokenIsAppliedOnce) {
  lose_next_answer();
  auto s = table_->transact_write(place("order1"), std::string("token-order1"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(proxy_->forwarded(), 2u);  // applied, then retried with the same token
  EXPECT_EQ(attempts(), 2);
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("count", 1), item("order1", 1)}));
  expect_recovered();
}

TEST_F(LostAnswers, TransactionWithoutTokenGetsOneAsWithTheSdks) {
  // The SDKs fill ClientRequestToken (an idempotency token) when the caller gives none, so a
  // retried transaction is not applied twice; the client must do the same.
  lose_next_answer();
  auto s = table_->transact_write(place("order2"), std::nullopt);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(proxy_->forwarded(), 2u);
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("count", 1), item("order2", 1)}));
  // Two calls with the same actions are two transactions (each its own token).
  ASSERT_TRUE(table_->transact_write({ports::TransactAction{add_one("count")}}, std::nullopt).ok());
  ASSERT_TRUE(table_->transact_write({ports::TransactAction{add_one("count")}}, std::nullopt).ok());
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("count", 3), item("order2", 1)}));
}

TEST_F(LostAnswers, ConditionalPutRetriedReportsTheConditionFailure) {
  // Applied by the first attempt; the retry finds the item and fails its condition. The client
  // returns kConditionFailed, as the SDKs do: "created by me or by someone else" is for the
  // caller to tell (e.g. by reading the item back).
  lose_next_answer();
  auto r = table_->put({item("once", 1), model::Cond::not_exists(model::path("PK"))});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConditionFailed);
  EXPECT_EQ(proxy_->forwarded(), 2u);
  EXPECT_EQ(attempts(), 2);
  EXPECT_EQ(contents(), std::vector<model::Item>{item("once", 1)});
  expect_recovered();
}

TEST_F(LostAnswers, UnconditionalAddRetriedIsAppliedTwiceAsWithTheSdks) {
  // Known and SDK-equal: UpdateItem has no idempotency token, so a retried ADD whose first
  // answer was lost adds twice. Use a condition (version check) or a transaction for counters.
  ASSERT_TRUE(direct_->put({item("count", 0)}).ok());
  lose_next_answer();
  ASSERT_TRUE(table_->update(add_one("count")).ok());
  EXPECT_EQ(proxy_->forwarded(), 2u);
  EXPECT_EQ(contents(), std::vector<model::Item>{item("count", 2)});
  expect_recovered();
}

TEST_F(LostAnswers, LostAnswerOnAKeptAliveConnectionIsOneCountedRetry) {
  // A reused connection that dies after the request went out, before any answer byte: the
  // HTTP client never re-sends on its own (libcurl did); the re-send is left to the retry
  // strategy, so that max_attempts and the quota hold and nothing is re-sent behind its back.
  ASSERT_TRUE(table_->put({item("count", 0)}).ok());  // the connection is kept alive
  lose_next_answer();
  ASSERT_TRUE(table_->update(add_one("count")).ok());
  EXPECT_EQ(proxy_->forwarded(), 2u);
  EXPECT_EQ(attempts(), 2);
  EXPECT_EQ(contents(), std::vector<model::Item>{item("count", 2)});  // the SDK-equal ADD twice
  mark();
  proxy_->set(Fault{FaultKind::kResetAfterForward, -1, {}, {}});
  auto r = table_->update(add_one("count"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(proxy_->forwarded(), std::size_t{kMaxAttempts});  // not 2 * kMaxAttempts
  EXPECT_EQ(attempts(), kMaxAttempts);
  EXPECT_EQ(contents(), std::vector<model::Item>{item("count", 2 + kMaxAttempts)});
  expect_recovered();
}

TEST_F(LostAnswers, AnswersLostOnEveryAttemptGiveUpUnavailable) {
  mark();
  proxy_->set(Fault{FaultKind::kResetAfterForward, -1, {}, {}});
  auto s = table_->transact_write(place("order3"), std::string("token-order3"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(attempts(), kMaxAttempts);
  EXPECT_EQ(proxy_->forwarded(), std::size_t{kMaxAttempts});
  // Applied once although sent three times; a later retry by the caller with the same token
  // succeeds without applying it again.
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("count", 1), item("order3", 1)}));
  proxy_->pass();
  ASSERT_TRUE(table_->transact_write(place("order3"), std::string("token-order3")).ok());
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("count", 1), item("order3", 1)}));
}

TEST_F(LostAnswers, TruncatedAnswerIsNeverTakenForASuccess) {
  ASSERT_TRUE(direct_->put({item("a", 1)}).ok());
  mark();
  proxy_->set(Fault{FaultKind::kTruncateAfterForward, 1, {}, {}});
  auto got = table_->get({key("a")});
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(**got, item("a", 1));
  EXPECT_EQ(attempts(), 2);
  mark();
  proxy_->set(Fault{FaultKind::kTruncateAfterForward, -1, {}, {}});
  auto put = table_->put({item("b", 2), std::nullopt, ports::ReturnValues::kAllOld});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable);
  std::printf("truncated answers: %s\n", put.error().message.c_str());
  EXPECT_EQ(attempts(), kMaxAttempts);
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("a", 1), item("b", 2)}));
  expect_recovered();
}

class StaleConnections : public FaultProxyTest {};

TEST_F(StaleConnections, IdleConnectionClosedByTheServerIsReplacedSilently) {
  ASSERT_TRUE(table_->put({item("count", 0)}).ok());  // opens the kept-alive connection
  std::size_t opened = http_->connections_opened();
  proxy_->close_idle();
  mark();
  ASSERT_TRUE(table_->update(add_one("count")).ok());
  EXPECT_EQ(attempts(), 1);  // no retry needed: the dead connection was not used
  EXPECT_EQ(proxy_->seen(), 1u);
  EXPECT_EQ(http_->connections_opened(), opened + 1);  // a fresh one
  EXPECT_EQ(contents(), std::vector<model::Item>{item("count", 1)});
}

TEST_F(StaleConnections, ConnectionResetAsTheRequestArrivesIsRetried) {
  // The server closed the kept-alive connection just as the request came in (never read it).
  ASSERT_TRUE(table_->put({item("count", 0)}).ok());
  mark();
  proxy_->set(Fault{FaultKind::kResetReused, 1, {}, {}});
  ASSERT_TRUE(table_->update(add_one("count")).ok());
  EXPECT_EQ(attempts(), 2);  // one counted retry, on a fresh connection
  EXPECT_EQ(proxy_->seen(), 2u);
  EXPECT_EQ(proxy_->forwarded(), 1u);
  EXPECT_EQ(contents(), std::vector<model::Item>{item("count", 1)});
  expect_recovered();
}

}  // namespace
}  // namespace cartflow::aws::testing
