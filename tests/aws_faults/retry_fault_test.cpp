// SPDX-License-Identifier: Apache-2.0
// DynamoDbTable through a fault proxy in front of DynamoDB Local: throttling, 5xx, resets and
// slow responses are retried as the SDKs' standard mode does (at most max_attempts attempts,
// within the retry quota), condition and validation errors never are, and after each fault the
// table holds exactly what was acknowledged and the client works again.
#include <gtest/gtest.h>

#include "fault_fixture.h"

namespace cartflow::aws::testing {
namespace {

using model::ErrorCode;

struct RetryableFault {
  std::string name;
  Fault fault;
  ErrorCode code;            // when the attempts run out
  std::string message_part;  // what the final error message says
};

std::vector<RetryableFault> retryable_faults() {
  auto answer = [](ScriptedResponse r) { return Fault{FaultKind::kAnswer, 0, {}, std::move(r)}; };
  return {
      {"ProvisionedThroughputExceeded", answer(provisioned_throughput_exceeded()),
       ErrorCode::kThrottled, "ProvisionedThroughputExceededException: The level of configured"},
      {"ThrottlingException", answer(throttling_exception()), ErrorCode::kThrottled,
       "ThrottlingException: Rate of requests exceeds"},
      {"InternalServerError500", answer(internal_server_error()), ErrorCode::kUnavailable,
       "InternalServerError: Internal server error"},
      {"ServiceUnavailable503", answer(service_unavailable()), ErrorCode::kUnavailable,
       "ServiceUnavailableException"},
      {"BadGatewayHtml502", answer(bad_gateway_html()), ErrorCode::kUnavailable, "HTTP502"},
      {"ResetBeforeForward", Fault{FaultKind::kResetBeforeForward}, ErrorCode::kUnavailable,
       "failed: "},
  };
}

class RetryFaults : public FaultProxyTest {};

TEST_F(RetryFaults, FewerFaultsThanAttemptsSucceedAfterRetries) {
  int i = 0;
  for (auto f : retryable_faults()) {
    SCOPED_TRACE(f.name);
    std::string sk = "item" + std::to_string(i++);
    f.fault.count = kMaxAttempts - 1;
    mark();
    proxy_->set(f.fault);
    auto r = table_->put({item(sk, 1)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(attempts(), kMaxAttempts);
    EXPECT_EQ(proxy_->seen(), std::size_t{kMaxAttempts});
    EXPECT_EQ(proxy_->forwarded(), 1u);  // only the successful attempt reached DynamoDB
    EXPECT_EQ(proxy_->remaining(), 0);
  }
  ASSERT_EQ(contents().size(), static_cast<std::size_t>(i));
  for (int k = 0; k < i; ++k) EXPECT_EQ(contents()[static_cast<std::size_t>(k)], item("item" + std::to_string(k), 1));
}

TEST_F(RetryFaults, AsManyFaultsAsAttemptsGiveUpWithTheLastError) {
  ASSERT_TRUE(direct_->put({item("kept", 7)}).ok());
  for (auto f : retryable_faults()) {
    SCOPED_TRACE(f.name);
    f.fault.count = kMaxAttempts;
    mark();
    proxy_->set(f.fault);
    auto r = table_->update(add_one("kept"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, f.code);
    EXPECT_NE(r.error().message.find(f.message_part), std::string::npos) << r.error().message;
    EXPECT_EQ(attempts(), kMaxAttempts);
    EXPECT_EQ(proxy_->seen(), std::size_t{kMaxAttempts});
    EXPECT_EQ(proxy_->forwarded(), 0u);
    EXPECT_EQ(proxy_->remaining(), 0);
    EXPECT_EQ(contents(), std::vector<model::Item>{item("kept", 7)});  // nothing applied
    std::printf("%s x%d: %d attempts, %s \"%s\"\n", f.name.c_str(), kMaxAttempts, attempts(),
                model::error_code_name(r.error().code), r.error().message.c_str());
  }
  expect_recovered();
  EXPECT_EQ(contents(), std::vector<model::Item>{item("kept", 7)});
}

TEST_F(RetryFaults, QuotaDrainsUnderSustainedFailuresAndRefillsOnSuccess) {
  // Capacity 20: each failing call with 2 retries costs 2 * 5.
  connect(RetryOptions{.max_attempts = kMaxAttempts, .quota_capacity = 20});
  proxy_->set(Fault{FaultKind::kAnswer, -1, {}, internal_server_error()});
  for (int call = 0; call < 2; ++call) {
    mark();
    EXPECT_EQ(table_->get({key("x")}).error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(proxy_->seen(), 3u);
  }
  EXPECT_EQ(json_->retry().quota(), 0);
  // Empty quota: one attempt, no retry, the error at once.
  mark();
  auto r = table_->get({key("x")});
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(proxy_->seen(), 1u);
  EXPECT_TRUE(sleeps_.empty());

  // Successes without retry give back 1 token each.
  proxy_->pass();
  for (int call = 0; call < 5; ++call) ASSERT_TRUE(table_->put({item("y", call)}).ok());
  EXPECT_EQ(json_->retry().quota(), 5);
  // A success after one retry returns the retry's cost: the quota stays where it was.
  mark();
  proxy_->set(Fault{FaultKind::kAnswer, 1, {}, service_unavailable()});
  ASSERT_TRUE(table_->put({item("y", 9)}).ok());
  EXPECT_EQ(proxy_->seen(), 2u);
  EXPECT_EQ(json_->retry().quota(), 5);
  // With 5 tokens one retry fits, a second does not.
  mark();
  proxy_->set(Fault{FaultKind::kAnswer, -1, {}, throttling_exception()});
  EXPECT_EQ(table_->put({item("y", 10)}).error().code, ErrorCode::kThrottled);
  EXPECT_EQ(proxy_->seen(), 2u);
  EXPECT_EQ(json_->retry().quota(), 0);
  expect_recovered();
  EXPECT_EQ(contents(), std::vector<model::Item>{item("y", 9)});
}

TEST_F(RetryFaults, ConditionAndValidationErrorsAreNeverRetried) {
  ASSERT_TRUE(direct_->put({item("a", 1)}).ok());
  mark();
  auto cond = table_->put({item("a", 2), model::Cond::not_exists(model::path("PK"))});
  ASSERT_FALSE(cond.ok());
  EXPECT_EQ(cond.error().code, ErrorCode::kConditionFailed);
  EXPECT_EQ(cond.error().message.rfind("ConditionalCheckFailedException: ", 0), 0u) << cond.error().message;
  EXPECT_EQ(proxy_->seen(), 1u);
  EXPECT_EQ(attempts(), 1);

  mark();
  auto tx = table_->transact_write(
      {ports::TransactAction{ports::PutRequest{item("b", 1)}},
       ports::TransactAction{ports::ConditionCheck{key("a"), model::Cond::eq(model::path("n"), model::AttributeValue::integer(5))}}},
      std::nullopt);
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().code, ErrorCode::kConditionFailed);
  ASSERT_EQ(tx.error().cancellation_reasons.size(), 2u);
  EXPECT_EQ(tx.error().cancellation_reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(proxy_->seen(), 1u);

  mark();
  auto invalid = table_->put({model::Item{{"PK", "p"}}});  // no sort key
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(invalid.error().message.rfind("ValidationException: ", 0), 0u) << invalid.error().message;
  EXPECT_EQ(proxy_->seen(), 1u);
  EXPECT_EQ(attempts(), 1);

  // A scripted ValidationException is not retried either.
  mark();
  proxy_->set(Fault{FaultKind::kAnswer, -1, {},
                    dynamodb_error(400, "com.amazon.coral.validate#ValidationException", "bad")});
  EXPECT_EQ(table_->get({key("a")}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(proxy_->seen(), 1u);
  expect_recovered();
  EXPECT_EQ(contents(), std::vector<model::Item>{item("a", 1)});
}

TEST_F(RetryFaults, SlowResponsesTimeOutThenTheClientRecovers) {
  ASSERT_TRUE(direct_->put({item("a", 1)}).ok());
  proxy_->set(Fault{FaultKind::kDelay, -1, kRequestTimeout * 3, {}});
  mark();
  auto r = table_->get({key("a")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().message.rfind("timeout", 0), 0u) << r.error().message;
  EXPECT_EQ(attempts(), kMaxAttempts);
  EXPECT_EQ(proxy_->seen(), std::size_t{kMaxAttempts});
  EXPECT_EQ(json_->retry().quota(), 500 - 2 * 10);  // a retry after a timeout costs 10

  // A write whose answers all come too late may still have been applied: the caller cannot
  // tell (kUnavailable), as with the SDKs. An idempotent put is safe to repeat.
  mark();
  auto w = table_->put({item("b", 2)});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(proxy_->forwarded(), std::size_t{kMaxAttempts});
  expect_recovered();
  EXPECT_EQ(contents(), (std::vector<model::Item>{item("a", 1), item("b", 2)}));
}

}  // namespace
}  // namespace cartflow::aws::testing
