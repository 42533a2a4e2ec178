// SPDX-License-Identifier: Apache-2.0
// POST /order on the api handler over DynamoDB Local behind the fault proxy: the order's
// TransactWriteItems is applied but its answer lost, and the client retries it. The handler
// passes no token of its own; the DynamoDB client's token makes the retry succeed, so the
// order is placed once and answered 201 (without it the retry met its own claims: a false 409).
#include <gtest/gtest.h>

#include "../api/api_fixture.h"
#include "fault_fixture.h"
#include "functions/api.h"
#include "functions/api_table.h"

namespace cartflow::aws::testing {
namespace {

using api_testing::make_request;
using api_testing::RequestSpec;

class OrderFaults : public FaultProxyTest {
 protected:
  void SetUp() override {
    FaultProxyTest::SetUp();
    if (HasFatalFailure()) return;
    static std::atomic<int> n{0};
    auto d = functions::table_description("cartflow_faults_" + std::to_string(++n));
    auto created = create_table(client(), d);
    ASSERT_TRUE(created.ok()) << created.error().message;
    app_table_ = std::make_unique<DynamoDbTable>(*json_, d);
    handler_ = std::make_unique<functions::ApiHandler>(*app_table_, clock_);
  }

  // Status and parsed JSON body of one request through the handler.
  std::pair<int, model::Item> send(RequestSpec spec) {
    functions::InvocationContext context;
    context.request_id = "lambda-request";
    auto r = handler_->handle(make_request(spec), context);
    auto body = model::parse_plain_json(r.body);
    model::Item out;
    if (body.ok() && body->as_m() != nullptr) out = std::move(*body->as_m());
    return {r.status_code, std::move(out)};
  }
  static std::string str(const model::Item& body, const std::string& field) {
    auto it = body.find(field);
    return it != body.end() && it->second.as_s() != nullptr ? *it->second.as_s() : std::string();
  }

  ports::ManualClock clock_{1'714'564'800'000};
  std::unique_ptr<DynamoDbTable> app_table_;
  std::unique_ptr<functions::ApiHandler> handler_;
};

TEST_F(OrderFaults, LostAnswerOfTheOrderTransactionPlacesItOnceAndAnswers201) {
  ASSERT_EQ(send({"POST", "/loadProducts", std::nullopt, {}, {}}).first, 200);
  auto products = send({"GET", "/products", std::nullopt, {}, {}}).second;
  const auto* list = products.at("products").as_l();
  ASSERT_TRUE(list != nullptr && list->size() >= 2);
  for (std::size_t i = 0; i < 2; ++i) {
    std::string id = *(*list)[i].as_m()->at("productId").as_s();
    auto added = send({"POST", "/cart/u1", "{\"product_id\":\"" + id + "\",\"quantity\":1}", {}, {}});
    ASSERT_EQ(added.first, 200) << str(added.second, "message");
  }

  mark();
  proxy_->set(Fault{FaultKind::kResetAfterForward, 1, {}, {}, "TransactWriteItems"});
  auto placed = send({"POST", "/order", R"({"user_id":"u1"})", {}, {}});
  EXPECT_EQ(placed.first, 201) << str(placed.second, "code") << ": " << str(placed.second, "message");
  auto targets = proxy_->targets();
  EXPECT_EQ(std::count(targets.begin(), targets.end(), "DynamoDB_20120810.TransactWriteItems"), 2);
  EXPECT_EQ(proxy_->remaining(), 0);

  auto orders = send({"GET", "/users/u1/orders", std::nullopt, {}, {}});
  ASSERT_EQ(orders.first, 200);
  const auto* placed_orders = orders.second.at("orders").as_l();
  ASSERT_TRUE(placed_orders != nullptr);
  ASSERT_EQ(placed_orders->size(), 1u);
  EXPECT_EQ(*placed_orders->front().as_m()->at("order_id").as_s(), str(placed.second, "order_id"));
  // The cart is claimed by that order: ordering again finds nothing open.
  EXPECT_NE(send({"POST", "/order", R"({"user_id":"u1"})", {}, {}}).first, 201);
}

}  // namespace
}  // namespace cartflow::aws::testing
