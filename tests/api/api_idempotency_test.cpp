// SPDX-License-Identifier: Apache-2.0
// Idempotency-Key on POST /order and POST /cart/{user_id}.
#include "api_fixture.h"

namespace cartflow::api_testing {
namespace {

using IdempotencyTest = CatalogApiTest;

TEST_F(IdempotencyTest, RetriedOrderReplaysFirstResponseAndWritesNothing) {
  add("u1", ids_[0], 2);
  std::map<std::string, std::string> key{{"Idempotency-Key", "order-attempt-1"}};
  auto first = post("/order", R"({"user_id":"u1"})", key);
  ASSERT_EQ(first.status, 201) << first.raw.body;
  EXPECT_FALSE(first.raw.header("Idempotent-Replayed").has_value());
  Dump before = dump();
  // Same body with other spacing: the same request.
  auto retry = post("/order", R"({ "user_id" : "u1" })", key);
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.raw.body, first.raw.body);
  EXPECT_EQ(retry.raw.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(get("/users/u1/orders").list("orders").size(), 1u);
}

TEST_F(IdempotencyTest, RecordIsWrittenInTheOrderTransaction) {
  add("u1", ids_[0], 2);
  auto r = post("/order", R"({"user_id":"u1"})", {{"Idempotency-Key", "k1"}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(faulty_->last_transaction_size(), 1u + 1u + 1u + 1u);
  auto record = stored("IDEMPOTENCY#k1", "IDEMPOTENCY#k1");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->at("expires_at").as_n()->to_int64().value(), 1'714'564'800 + 24 * 3600);
  EXPECT_EQ(*record->at("response_body").as_s(), r.raw.body);
}

TEST_F(IdempotencyTest, SameKeyOtherBodyIs422AndWritesNothing) {
  add("u1", ids_[0], 2);
  add("u1", ids_[1], 1);
  std::map<std::string, std::string> key{{"Idempotency-Key", "k2"}};
  ASSERT_EQ(post("/order", R"({"user_id":"u1","order_items":[")" + ids_[0] + "\"]}", key).status, 201);
  Dump before = dump();
  auto other = post("/order", R"({"user_id":"u1","order_items":[")" + ids_[1] + "\"]}", key);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.str("code"), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(other.str("field"), "Idempotency-Key");
  EXPECT_EQ(dump(), before);
}

TEST_F(IdempotencyTest, KeysExpireAfter24Hours) {
  add("u1", ids_[0], 1);
  std::map<std::string, std::string> key{{"Idempotency-Key", "k3"}};
  ASSERT_EQ(post("/order", R"({"user_id":"u1"})", key).status, 201);
  clock_.advance_ms(23LL * 3600 * 1000);
  EXPECT_EQ(post("/order", R"({"user_id":"u1"})", key).raw.header("Idempotent-Replayed"), "true");
  clock_.advance_ms(2LL * 3600 * 1000);
  add("u1", ids_[0], 1);
  auto fresh = post("/order", R"({"user_id":"u1"})", key);
  EXPECT_EQ(fresh.status, 201) << fresh.raw.body;
  EXPECT_FALSE(fresh.raw.header("Idempotent-Replayed").has_value());
  EXPECT_EQ(get("/users/u1/orders").list("orders").size(), 2u);
}

TEST_F(IdempotencyTest, FailedRequestsStoreNothing) {
  add("u1", ids_[0], 1);
  std::map<std::string, std::string> key{{"Idempotency-Key", "k4"}};
  EXPECT_EQ(post("/order", R"({"user_id":"u1","order_total":1})", key).status, 422);
  EXPECT_FALSE(stored("IDEMPOTENCY#k4", "IDEMPOTENCY#k4").has_value());
  EXPECT_EQ(post("/order", R"({"user_id":"u1"})", key).status, 201);
}

TEST_F(IdempotencyTest, RetriedAddToCartReplays) {
  std::map<std::string, std::string> key{{"Idempotency-Key", "cart-1"}};
  ASSERT_EQ(add("u1", ids_[0], 2, key).status, 200);
  Dump before = dump();
  auto retry = add("u1", ids_[0], 2, key);
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.raw.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(dump(), before);
  auto other = add("u1", ids_[0], 3, key);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(dump(), before);
  // The same key on another route is another request.
  EXPECT_EQ(post("/order", R"({"user_id":"u1"})", key).status, 422);
}

TEST_F(IdempotencyTest, MalformedKeyIs400) {
  add("u1", ids_[0], 1);
  Dump before = dump();
  auto r = post("/order", R"({"user_id":"u1"})", {{"Idempotency-Key", std::string(256, 'k')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.str("code"), "INVALID_HEADER");
  EXPECT_EQ(dump(), before);
}

TEST_F(IdempotencyTest, ConcurrentDuplicateLosesToTheFirstAndReplays) {
  add("u1", ids_[0], 1);
  add("u1", ids_[1], 1);
  std::map<std::string, std::string> key{{"Idempotency-Key", "race"}};
  std::string body = R"({"user_id":"u1","order_items":[")" + ids_[0] + "\"]}";
  Response winner;
  // While the first request is between its read and its transaction, a duplicate commits.
  faulty_->before_next(TableOp::kTransactWrite, [&] { winner = post("/order", body, key); });
  auto loser = post("/order", body, key);
  ASSERT_EQ(winner.status, 201) << winner.raw.body;
  // The loser's claim and its record both fail; it answers with the winner's response.
  EXPECT_EQ(loser.status, 201) << loser.raw.body;
  EXPECT_EQ(loser.raw.body, winner.raw.body);
  EXPECT_EQ(get("/users/u1/orders").list("orders").size(), 1u);
}

}  // namespace
}  // namespace cartflow::api_testing
