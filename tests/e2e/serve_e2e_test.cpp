// SPDX-License-Identifier: Apache-2.0
// `cartflow serve` end to end: the real program on 127.0.0.1, spoken to over HTTP. The reference
// flow through the pipeline (stream -> process-cart-products -> queue -> update-cart-status),
// API Gateway's 403 and 429 answers, the body limit, and the banner's curl lines.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "e2e_fixture.h"
#include "stopped_store.h"

namespace cartflow::e2e {
namespace {

using std::chrono::seconds;

TEST_F(ServeTest, ReferenceFlowThenPipelineMarksCartItemsOrdered) {
  start_server();
  const std::string key = server->banner_key();
  ASSERT_EQ(key.size(), 40u) << server->banner();

  const HttpResponse load = call(port, key, "POST", "/loadProducts");
  ASSERT_EQ(load.status, 200) << load.body << load.error;
  EXPECT_EQ(load.json_string("message"), "products loaded successfully");

  // The stage prefix works as well as the bare path.
  const HttpResponse staged = call(port, key, "GET", "/Dev/products?limit=2");
  ASSERT_EQ(staged.status, 200) << staged.body;
  EXPECT_TRUE(staged.header("x-amzn-RequestId").has_value());
  const std::vector<std::string> products = product_ids(key, 2);
  ASSERT_EQ(products.size(), 2u);

  for (const std::string& p : products) {
    const HttpResponse added = call(port, key, "POST", "/cart/user1",
                                    R"({"product_id":")" + p + R"(","quantity":2})");
    ASSERT_EQ(added.status, 200) << added.body;
    EXPECT_EQ(added.json_string("productId"), p);
  }
  const HttpResponse cart = call(port, key, "GET", "/cart/user1");
  ASSERT_EQ(cart.status, 200) << cart.body;
  EXPECT_EQ(cart.json().at("cart_items").as_array().size(), 2u) << cart.body;

  const HttpResponse order = call(port, key, "POST", "/order", R"({"user_id":"user1"})");
  ASSERT_EQ(order.status, 201) << order.body;
  const std::string order_id = order.json_string("order_id");
  ASSERT_FALSE(order_id.empty()) << order.body;
  EXPECT_EQ(order.header("Location").value_or(""), "/orders/" + order_id);
  EXPECT_EQ(order.json_string("order_status"), "ORDERED");

  // The order's INSERT went through the stream mapping, its message through the queue mapping.
  std::chrono::milliseconds took{0};
  const PipelineState s = wait_pipeline_drained(port, key, 1, seconds(30), &took);
  ASSERT_TRUE(s.read);
  EXPECT_GE(s.stream_records, 1);
  EXPECT_EQ(s.queue_records, 1);  // one message per order
  EXPECT_EQ(s.queue_pending, 0);
  EXPECT_EQ(s.stream_lag, 0);
  EXPECT_EQ(s.errors, 0);
  EXPECT_EQ(s.dead_letters, 0);
  std::cout << "order to queue drained: " << took.count() << " ms\n";
  RecordProperty("pipeline_ms", static_cast<int>(took.count()));

  const HttpResponse fetched = call(port, key, "GET", "/orders/" + order_id);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(fetched.json_string("order_id"), order_id);
  EXPECT_EQ(fetched.json().at("order_items").as_array().size(), 2u);
  const HttpResponse emptied = call(port, key, "GET", "/cart/user1");
  ASSERT_EQ(emptied.status, 200);
  EXPECT_TRUE(emptied.json().at("cart_items").as_array().empty()) << emptied.body;

  ASSERT_EQ(server->terminate(), 0) << server->log();
  auto store = StoppedStore::open(db);
  ASSERT_TRUE(store.ok()) << store.error().message;
  for (const std::string& p : products) {
    EXPECT_EQ((*store)->cart_item_attribute("user1", p, "cartProductStatus"), "ORDERED") << p;
    EXPECT_EQ((*store)->cart_item_attribute("user1", p, "order_id"), order_id) << p;
  }
}

TEST_F(ServeTest, ForbiddenWithoutKeyWithUnknownKeyAndWithRevokedKey) {
  const CreatedKey kept = create_key(dir.path(), db, {"--name", "kept"});
  const CreatedKey revoked = create_key(dir.path(), db, {"--name", "revoked"});
  ASSERT_FALSE(kept.secret.empty());
  ASSERT_FALSE(revoked.secret.empty());
  ASSERT_NE(kept.secret, revoked.secret);
  start_server();
  EXPECT_EQ(server->banner_key(), "$KEY");  // keys existed: no new key printed

  const std::string forbidden = R"({"message":"Forbidden"})";
  const HttpResponse none = call(port, "", "GET", "/products");
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.json(), boost::json::parse(forbidden)) << none.body;
  EXPECT_TRUE(none.header("x-amzn-RequestId").has_value());
  const HttpResponse unknown =
      call(port, "NotAKeyNotAKeyNotAKeyNotAKeyNotAKey12345", "GET", "/products");
  EXPECT_EQ(unknown.status, 403);
  EXPECT_EQ(unknown.json(), boost::json::parse(forbidden)) << unknown.body;
  const HttpResponse no_key_order = call(port, "", "POST", "/order", R"({"user_id":"u"})");
  EXPECT_EQ(no_key_order.status, 403);
  EXPECT_EQ(call(port, "", "GET", "/health").status, 200);  // the one open route
  EXPECT_EQ(call(port, kept.secret, "GET", "/products?limit=1").status, 200);
  EXPECT_EQ(call(port, revoked.secret, "GET", "/products?limit=1").status, 200);

  ASSERT_EQ(server->terminate(), 0) << server->log();
  const CommandResult r =
      run_cartflow(dir.path(), {"keys", "revoke", revoked.id, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const CommandResult listed = run_cartflow(dir.path(), {"keys", "list", "--db", db});
  EXPECT_NE(listed.out.find("revoked"), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(kept.secret), std::string::npos);  // never the values

  start_server();
  const HttpResponse after = call(port, revoked.secret, "GET", "/products?limit=1");
  EXPECT_EQ(after.status, 403);
  EXPECT_EQ(after.json(), boost::json::parse(forbidden)) << after.body;
  EXPECT_EQ(call(port, kept.secret, "GET", "/products?limit=1").status, 200);
  // The key never appears in the server's logs.
  EXPECT_EQ(server->log().find(kept.secret), std::string::npos);
}

TEST_F(ServeTest, TooManyRequestsBeyondRateAndBurst) {
  const CreatedKey slow = create_key(dir.path(), db, {"--rate", "1", "--burst", "1"});
  ASSERT_FALSE(slow.secret.empty());
  start_server();
  // Burst 1: of several back-to-back requests, the bucket lets through one per second at most.
  std::vector<int> statuses;
  HttpResponse throttled;
  for (int i = 0; i < 6; ++i) {
    HttpResponse r = call(port, slow.secret, "GET", "/products?limit=1");
    statuses.push_back(r.status);
    if (r.status == 429) throttled = r;
  }
  EXPECT_EQ(statuses[0], 200);
  int refused = 0;
  for (int s : statuses) {
    EXPECT_TRUE(s == 200 || s == 429) << s;
    refused += s == 429 ? 1 : 0;
  }
  EXPECT_GE(refused, 1);
  EXPECT_EQ(throttled.json(), boost::json::parse(R"({"message":"Too Many Requests"})"))
      << throttled.body;
}

TEST_F(ServeTest, LimitExceededBeyondDailyQuota) {
  const CreatedKey quota = create_key(dir.path(), db, {"--quota", "2", "--period", "day"});
  ASSERT_FALSE(quota.secret.empty());
  start_server();
  EXPECT_EQ(call(port, quota.secret, "GET", "/products?limit=1").status, 200);
  EXPECT_EQ(call(port, quota.secret, "GET", "/products?limit=1").status, 200);
  const HttpResponse third = call(port, quota.secret, "GET", "/products?limit=1");
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.json(), boost::json::parse(R"({"message":"Limit Exceeded"})")) << third.body;

  // The quota is durable: a restart does not give the key a new day.
  ASSERT_EQ(server->terminate(), 0) << server->log();
  start_server();
  EXPECT_EQ(call(port, quota.secret, "GET", "/products?limit=1").status, 429);
}

TEST_F(ServeTest, PayloadTooLargeForSevenMegabytes) {
  start_server();
  const std::string key = server->banner_key();
  std::string body = R"({"user_id":"u1","pad":")";
  body.append(7 * 1024 * 1024, 'x');
  body += "\"}";
  const HttpResponse r = call(port, key, "POST", "/order", body);
  EXPECT_EQ(r.status, 413) << r.error << r.body;
  EXPECT_EQ(r.json_string("message"), "Request Entity Too Large") << r.body;
  // Just under the limit is read (and refused by the handler for its content, not its size).
  std::string fits = R"({"user_id":"u1","pad":")";
  fits.append(5 * 1024 * 1024, 'x');
  fits += "\"}";
  const HttpResponse under = call(port, key, "POST", "/order", fits);
  EXPECT_NE(under.status, 413) << under.body;
  EXPECT_NE(under.status, 0) << under.error;
  // The server is still serving.
  EXPECT_EQ(call(port, key, "GET", "/products?limit=1").status, 200);
}

// The banner's "Try the reference flow" lines, run as they are printed, with bash and curl.
TEST_F(ServeTest, BannerCurlLinesWalkThroughTheReferenceFlow) {
  start_server();
  const std::string& banner = server->banner();
  const auto from = banner.find("  KEY=");
  const auto to = banner.find("\nMetrics:");
  ASSERT_NE(from, std::string::npos) << banner;
  ASSERT_NE(to, std::string::npos) << banner;
  const std::string script_path = dir.file("banner.sh");
  const std::string out_path = dir.file("banner.out");
  {
    std::ofstream script(script_path);
    script << "set -eu\n" << banner.substr(from, to - from) << "\n";
  }
  const std::string command =
      "timeout 60 bash " + script_path + " > " + out_path + " 2>&1";
  const int rc = std::system(command.c_str());
  const std::string out = read_file(out_path);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("products loaded successfully"), std::string::npos) << out;
  EXPECT_NE(out.find("\"products\":["), std::string::npos) << out;
  EXPECT_NE(out.find("product added to cart"), std::string::npos) << out;
  EXPECT_NE(out.find("\"cart_items\":[{"), std::string::npos) << out;
  EXPECT_NE(out.find("order placed successfully"), std::string::npos) << out;
  EXPECT_EQ(out.find("\"code\""), std::string::npos) << out;  // no error answer anywhere

  const PipelineState s = wait_pipeline_drained(port, server->banner_key(), 1, seconds(30));
  EXPECT_EQ(s.queue_records, 1);
  EXPECT_EQ(s.errors, 0);
}

}  // namespace
}  // namespace cartflow::e2e
