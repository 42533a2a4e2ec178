// SPDX-License-Identifier: Apache-2.0
#include "web/console_api.h"

#include <gtest/gtest.h>

#include "../platform_http/fixtures.h"

namespace cartflow::web {
namespace {

using platform::HttpRequest;
using platform::HttpResponse;

struct ConsoleFixture : ::testing::Test {
  void SetUp() override {
    auto store = platform::ApiKeyStore::open(tmp.open(), clock);
    ASSERT_TRUE(store.ok());
    keys = std::move(*store);
    auto admin = keys->create("ops", {}, true);
    auto api = keys->create("shop", {});
    ASSERT_TRUE(admin.ok() && api.ok());
    admin_secret = admin->secret;
    admin_id = admin->key.id;
    api_secret = api->secret;
    api_id = api->key.id;
    ConsoleQueue dlq;
    dlq.role = "dead_letter";
    dlq.name = "UpdateCartProductsDLQ";
    dlq.peek = [this](int limit) -> model::Result<std::vector<ports::Message>> {
      peek_limit = limit;
      ports::Message m;
      m.message_id = "m-1";
      m.body = "{\"order_id\":{\"S\":\"o\\\"1\"}}";
      m.receive_count = 5;
      return std::vector<ports::Message>{m};
    };
    dlq.redrive = [this]() -> model::Result<std::int64_t> { return ++redrives, 3; };
    ConsoleQueue failures;
    failures.role = "stream_failures";
    failures.name = "OrderStreamFailureQueue";
    failures.peek = [](int) -> model::Result<std::vector<ports::Message>> {
      return model::Error::unavailable("queue unreachable");
    };
    console = std::make_unique<ConsoleApi>(*keys, registry, sampler,
                                           std::vector<ConsoleQueue>{dlq, failures});
  }

  HttpResponse call(std::string method, std::string target, std::string key,
                    std::string body = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    if (!key.empty()) r.headers.emplace_back("X-Api-Key", std::move(key));
    r.body = std::move(body);
    return console->handle(r);
  }

  platform::testing::TempDatabase tmp;
  ports::ManualClock clock;
  platform::MetricsRegistry registry;
  SeriesSampler sampler{registry, clock};
  std::unique_ptr<platform::ApiKeyStore> keys;
  std::unique_ptr<ConsoleApi> console;
  std::string admin_secret, admin_id, api_secret, api_id;
  int peek_limit = 0;
  int redrives = 0;
};

TEST_F(ConsoleFixture, OnlyAnAdminKeyOpensIt) {
  EXPECT_EQ(call("GET", "/console/api/keys", "").status, 403);
  EXPECT_EQ(call("GET", "/console/api/keys", "wrong").status, 403);
  HttpResponse shop = call("GET", "/console/api/keys", api_secret);
  EXPECT_EQ(shop.status, 403);
  EXPECT_NE(shop.body.find("keys create --admin"), std::string::npos);
  ASSERT_TRUE(keys->revoke(admin_id).ok());
  EXPECT_EQ(call("GET", "/console/api/overview", admin_secret).status, 403);
}

TEST_F(ConsoleFixture, ListsKeysWithoutSecretsAndCreatesAndRevokesApiKeys) {
  HttpResponse list = call("GET", "/console/api/keys", admin_secret);
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("\"id\":\"" + api_id + "\""), std::string::npos);
  EXPECT_NE(list.body.find("\"admin\":true"), std::string::npos);
  EXPECT_EQ(list.body.find(api_secret), std::string::npos);
  EXPECT_EQ(list.body.find(admin_secret), std::string::npos);
  bool no_store = false;
  for (const auto& [k, v] : list.headers) no_store |= k == "Cache-Control" && v == "no-store";
  EXPECT_TRUE(no_store);

  HttpResponse created =
      call("POST", "/console/api/keys", admin_secret, R"({"name":"partner","rate":5,"burst":10})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto at = created.body.find("\"secret\":\"");
  ASSERT_NE(at, std::string::npos);
  const std::string secret = created.body.substr(at + 10, 40);
  auto key = keys->authenticate(secret);
  ASSERT_TRUE(key.has_value());  // an API key, not an admin one
  EXPECT_EQ(key->name, "partner");
  EXPECT_DOUBLE_EQ(key->plan.rate, 5);
  EXPECT_EQ(key->plan.burst, 10);

  EXPECT_EQ(call("POST", "/console/api/keys", admin_secret, "[1]").status, 400);
  EXPECT_EQ(call("POST", "/console/api/keys", admin_secret, R"({"rate":"fast"})").status, 400);
  EXPECT_EQ(call("POST", "/console/api/keys", admin_secret, R"({"rate":0})").status, 400);
  EXPECT_EQ(call("POST", "/console/api/keys", admin_secret, R"({"burst":1.5})").status, 400);

  EXPECT_EQ(call("POST", "/console/api/keys/" + key->id + "/revoke", admin_secret).status, 200);
  EXPECT_FALSE(keys->authenticate(secret).has_value());
  EXPECT_EQ(call("POST", "/console/api/keys/nope/revoke", admin_secret).status, 404);
  // The admin key cannot lock the console out from the console.
  EXPECT_EQ(call("POST", "/console/api/keys/" + admin_id + "/revoke", admin_secret).status, 400);
  EXPECT_TRUE(keys->authenticate_admin(admin_secret).has_value());
}

TEST_F(ConsoleFixture, QueuesMessagesAndRedrive) {
  HttpResponse messages = call("GET", "/console/api/queues/dead_letter/messages", admin_secret);
  ASSERT_EQ(messages.status, 200);
  EXPECT_EQ(peek_limit, 50);
  // The body as a JSON string, escaped.
  EXPECT_NE(messages.body.find(R"("body":"{\"order_id\":{\"S\":\"o\\\"1\"}}")"),
            std::string::npos)
      << messages.body;
  EXPECT_NE(messages.body.find("\"receive_count\":5"), std::string::npos);

  HttpResponse moved = call("POST", "/console/api/queues/dead_letter/redrive", admin_secret);
  ASSERT_EQ(moved.status, 200);
  EXPECT_EQ(moved.body, "{\"moved\":3}");
  EXPECT_EQ(redrives, 1);

  EXPECT_EQ(call("GET", "/console/api/queues/dead_letter/redrive", admin_secret).status, 405);
  EXPECT_EQ(call("POST", "/console/api/queues/stream_failures/redrive", admin_secret).status, 400);
  EXPECT_EQ(call("GET", "/console/api/queues/stream_failures/messages", admin_secret).status, 503);
  EXPECT_EQ(call("GET", "/console/api/queues/nope/messages", admin_secret).status, 404);
  EXPECT_EQ(call("GET", "/console/api/nope", admin_secret).status, 404);
}

TEST_F(ConsoleFixture, OverviewAndSeriesAreJson) {
  registry.counter("cartflow_http_requests_total", "r",
                   {{"method", "POST"}, {"route", "/order"}, {"status", "201"}})
      .inc(4);
  HttpResponse overview = call("GET", "/console/api/overview", admin_secret);
  ASSERT_EQ(overview.status, 200);
  EXPECT_NE(overview.body.find("\"orders_placed\":4"), std::string::npos) << overview.body;
  EXPECT_NE(overview.body.find("\"role\":\"dead_letter\""), std::string::npos);
  sampler.sample();
  clock.advance_ms(1000);
  sampler.sample();
  HttpResponse series = call("GET", "/console/api/series?x=1", admin_secret);
  ASSERT_EQ(series.status, 200);
  EXPECT_NE(series.body.find("\"interval_ms\":1000"), std::string::npos);
  EXPECT_NE(series.body.find("\"points\":[{\"t\":"), std::string::npos) << series.body;
  EXPECT_EQ(call("POST", "/console/api/series", admin_secret).status, 405);
}

}  // namespace
}  // namespace cartflow::web
