// SPDX-License-Identifier: Apache-2.0
// The hostile-input catalogue against the real `cartflow serve`: every case gets its exact status
// with a JSON {"message": ...} body, the server still answers /health afterwards, and a refused
// request leaves the items table exactly as it was. Also: a slow client sending a byte at a time
// does not stop others being served, and garbage pipelined behind a good request gets 400.

#include <gtest/gtest.h>

#include <iostream>
#include <regex>
#include <thread>

#include "db_dump.h"
#include "hostile_cases.h"
#include "raw_http.h"
#include "server_process.h"
#include "support/temp_dir.h"

namespace cartflow::testing {
namespace {

// The key (last line) and key id ("created key ID (...") of `cartflow keys create`.
struct CreatedKey {
  std::string id;
  std::string secret;
};

CreatedKey create_key(const std::string& db, std::vector<std::string> plan) {
  std::vector<std::string> args = {"keys", "create", "--db", db};
  for (auto& a : plan) args.push_back(a);
  CommandOutput out = run_command(args);
  EXPECT_EQ(out.exit_code, 0) << out.out;
  std::smatch m;
  std::regex id(R"(created key (\S+) )");
  CreatedKey k;
  if (std::regex_search(out.out, m, id)) k.id = m[1].str();
  k.secret = last_line(out.out);
  return k;
}

// True when `body` is a JSON object with a non-empty string "message".
bool has_json_message(const std::string& body) {
  static const std::regex kMessage(R"(^\s*\{.*"message"\s*:\s*"[^"]+)");
  return std::regex_search(body, kMessage);
}

class HostileHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new support::TempDir("cartflow-hostile");
    ASSERT_FALSE(dir_->path().empty()) << "no temporary folder";
    db_ = new std::string(dir_->file("c.db"));
    CommandOutput loaded = run_command({"catalog", "load", "--db", *db_});
    ASSERT_EQ(loaded.exit_code, 0) << loaded.out;
    inputs_ = new CatalogueInputs();
    inputs_->key = create_key(*db_, {"--name", "main", "--rate", "100000", "--burst", "100000"}).secret;
    CreatedKey revoked = create_key(*db_, {"--name", "revoked"});
    CommandOutput r = run_command({"keys", "revoke", revoked.id, "--db", *db_});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    inputs_->revoked_key = revoked.secret;
    inputs_->throttled_key =
        create_key(*db_, {"--name", "throttled", "--rate", "0.01", "--burst", "1"}).secret;
    inputs_->quota_key = create_key(*db_, {"--name", "quota", "--rate", "1000", "--burst", "1000",
                                           "--quota", "1", "--period", "day"})
                             .secret;
    server_ = new ServerProcess(*db_, dir_->file("serve"));
    ASSERT_TRUE(server_->start()) << server_->stderr_text();
    port_ = server_->port();

    RawResponse products = raw_exchange(port_, http_request("GET", "/products?limit=1", inputs_->key));
    ASSERT_EQ(products.status, 200) << products.body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(products.body, m, std::regex(R"re("productId":"([^"]+)")re")));
    inputs_->product_id = m[1].str();
    inputs_->user_id = "hostile-user";
    RawResponse added = raw_exchange(
        port_, http_request("POST", "/cart/hostile-user", inputs_->key,
                            "{\"product_id\":\"" + inputs_->product_id + "\",\"quantity\":2}"));
    ASSERT_EQ(added.status / 100, 2) << added.body;
  }

  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->stop(), 0) << "serve did not stop cleanly";
      delete server_;
      server_ = nullptr;
    }
    delete db_;
    delete inputs_;
    delete dir_;
  }

  static bool healthy() {
    RawResponse h = raw_exchange(port_, http_request("GET", "/health", ""));
    return h.status == 200 && h.body.find("ok") != std::string::npos;
  }

  static support::TempDir* dir_;
  static std::string* db_;
  static CatalogueInputs* inputs_;
  static ServerProcess* server_;
  static int port_;
};

support::TempDir* HostileHttp::dir_ = nullptr;
std::string* HostileHttp::db_ = nullptr;
CatalogueInputs* HostileHttp::inputs_ = nullptr;
ServerProcess* HostileHttp::server_ = nullptr;
int HostileHttp::port_ = 0;

TEST_F(HostileHttp, CatalogueGetsExactStatusesAndWritesNothing) {
  const std::vector<HostileCase> cases = hostile_catalogue(*inputs_);
  ASSERT_GE(cases.size(), 100u);
  int misbehaved = 0;
  for (const HostileCase& c : cases) {
    if (c.prelude) raw_exchange(port_, *c.prelude);
    const std::string before = dump_items(*db_);
    ASSERT_EQ(before.rfind("ERROR", 0), std::string::npos) << before;
    RawResponse r = raw_exchange(port_, c.request);
    std::vector<std::string> problems;
    if (r.status != c.expected_status) {
      problems.push_back("status " + std::to_string(r.status) + ", expected " +
                         std::to_string(c.expected_status));
    }
    if (!has_json_message(r.body)) problems.push_back("no JSON message: " + r.body.substr(0, 200));
    if (!healthy()) problems.push_back("/health does not answer afterwards");
    if (dump_items(*db_) != before) problems.push_back("the items table changed");
    if (!problems.empty()) {
      ++misbehaved;
      std::string all;
      for (auto& p : problems) all += "\n    " + p;
      ADD_FAILURE() << "case '" << c.name << "' misbehaved:" << all
                    << "\n    body: " << r.body.substr(0, 300);
    }
  }
  std::cout << "hostile cases: " << cases.size() << " tried, " << misbehaved << " misbehaved\n";
  EXPECT_EQ(misbehaved, 0);
  EXPECT_TRUE(server_->alive());
}

TEST_F(HostileHttp, SlowClientByteAtATimeDoesNotStopOthers) {
  const std::string request =
      http_request("GET", "/products/" + inputs_->product_id, inputs_->key);
  RawConnection slow(port_);
  ASSERT_TRUE(slow.connected());
  int others_served = 0;
  for (std::size_t i = 0; i < request.size(); ++i) {
    ASSERT_TRUE(slow.send_all(request.substr(i, 1))) << "server dropped the slow client at " << i;
    if (i % 20 == 0) {
      // Others keep being served while the slow request is half-sent.
      ASSERT_TRUE(healthy());
      RawResponse other = raw_exchange(port_, http_request("GET", "/products?limit=1", inputs_->key));
      ASSERT_EQ(other.status, 200);
      ++others_served;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  RawResponse r = slow.read_response();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(inputs_->product_id), std::string::npos);
  EXPECT_GT(others_served, 5);
}

TEST_F(HostileHttp, PipelinedGarbageAfterAGoodRequestGets400) {
  const std::string before = dump_items(*db_);
  RawConnection c(port_);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send_all(http_request("GET", "/health", "") +
                         "GARBAGE \x01\x02 NOT HTTP\r\n\r\n" +
                         http_request("GET", "/health", "")));
  RawResponse first = c.read_response();
  EXPECT_EQ(first.status, 200);
  RawResponse second = c.read_response();
  EXPECT_EQ(second.status, 400);
  EXPECT_TRUE(has_json_message(second.body)) << second.body;
  // After garbage the connection is closed: nothing behind it is executed.
  EXPECT_EQ(c.read_response().status, 0);
  EXPECT_TRUE(healthy());
  EXPECT_EQ(dump_items(*db_), before);
}

TEST_F(HostileHttp, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection c(port_);
  ASSERT_TRUE(c.connected());
  std::string batch;
  for (int i = 0; i < 20; ++i) {
    batch += http_request("GET", i % 2 == 0 ? "/health" : "/nope", i % 2 == 0 ? "" : inputs_->key);
  }
  ASSERT_TRUE(c.send_all(batch));
  for (int i = 0; i < 20; ++i) {
    RawResponse r = c.read_response();
    EXPECT_EQ(r.status, i % 2 == 0 ? 200 : 403) << "response " << i;
  }
}

TEST_F(HostileHttp, ManyConnectionsSendingGarbageAtOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> answered_400{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&answered_400] {
      for (int i = 0; i < 10; ++i) {
        RawResponse r = raw_exchange(port_, "\x7f\x45\x4c\x46 garbage\r\n\r\n");
        if (r.status == 400) ++answered_400;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered_400.load(), 80);
  EXPECT_TRUE(healthy());
}

}  // namespace
}  // namespace cartflow::testing
