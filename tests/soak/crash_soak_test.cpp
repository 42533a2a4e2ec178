// SPDX-License-Identifier: Apache-2.0
// Crash soak: `cartflow serve` on 127.0.0.1 takes orders from client threads and is killed with
// SIGKILL at random moments, then restarted, many times (bounded to about a minute). After the
// last restart and a drain: every order answered 2xx exists; every cart item of such an order is
// ORDERED by that order; no ORDERED cart item points at a missing order; the order queue, the
// DLQ and the stream failure queue are empty (nothing is poisoned on purpose here).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <random>
#include <regex>
#include <thread>

#include "domain/keys.h"
#include "embedded/database.h"
#include "embedded/sqlite_table.h"
#include "functions/api_table.h"
#include "raw_http.h"
#include "server_process.h"
#include "support/temp_dir.h"

namespace cartflow::testing {
namespace {

constexpr int kKills = 12;
constexpr int kClientThreads = 3;

struct AckedOrder {
  std::string order_id;
  std::string user_id;
  std::vector<std::string> product_ids;
};

// Messages left per queue name (read-only connection beside the server).
std::map<std::string, int> queue_depths(const std::string& db_path) {
  std::map<std::string, int> depths;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 10'000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT q.name, count(m.id) FROM queues q LEFT JOIN queue_messages m "
                           "ON m.queue_id = q.id GROUP BY q.name",
                           -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        depths[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))] =
            sqlite3_column_int(stmt, 1);
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return depths;
}

const std::string* string_attr(const model::Item& item, const std::string& name) {
  auto it = item.find(name);
  return it == item.end() ? nullptr : it->second.as_s();
}

// What is wrong with the acknowledged orders in the file (empty: nothing).
std::vector<std::string> check_orders(const std::string& db_path,
                                      const std::vector<AckedOrder>& acked,
                                      const std::vector<std::string>& all_users) {
  std::vector<std::string> problems;
  auto db = embedded::Database::open({.path = db_path, .read_only = true});
  if (!db.ok()) return {"cannot open the database: " + db.error().message};
  embedded::SqliteTable table(**db, functions::table_description("EcommerceAppTable"));
  auto get = [&](const std::string& pk, const std::string& sk) -> std::optional<model::Item> {
    auto r = table.get(ports::GetRequest{
        model::Item{{std::string(domain::kPk), pk}, {std::string(domain::kSk), sk}}});
    if (!r.ok()) {
      problems.push_back("get " + pk + "/" + sk + ": " + r.error().message);
      return std::nullopt;
    }
    return *r;
  };
  for (const AckedOrder& o : acked) {
    auto order = get(domain::order_pk(o.order_id), domain::order_pk(o.order_id));
    if (!order) {
      problems.push_back("acknowledged order " + o.order_id + " is missing");
      continue;
    }
    for (const std::string& p : o.product_ids) {
      auto item = get(domain::user_pk(o.user_id), domain::cart_item_sk(p));
      const std::string* status = item ? string_attr(*item, "cartProductStatus") : nullptr;
      if (status == nullptr || *status != domain::kStatusOrdered) {
        problems.push_back("cart item " + o.user_id + "/" + p + " of order " + o.order_id +
                           " is " + (status ? *status : std::string("missing")));
      }
      const std::string* by = item ? string_attr(*item, "order_id") : nullptr;
      if (by != nullptr && *by != o.order_id) {
        problems.push_back("cart item " + o.user_id + "/" + p + " marked by order " + *by +
                           ", not " + o.order_id);
      }
    }
  }
  // No cart item is ORDERED by an order that does not exist.
  for (const std::string& user : all_users) {
    ports::QueryRequest q;
    q.key_condition = model::KeyCondition::hash(std::string(domain::kPk), domain::user_pk(user));
    auto items = table.query(q);
    if (!items.ok()) {
      problems.push_back("query " + user + ": " + items.error().message);
      continue;
    }
    for (const model::Item& item : items->items) {
      const std::string* status = string_attr(item, "cartProductStatus");
      if (status == nullptr || *status != domain::kStatusOrdered) continue;
      const std::string* by = string_attr(item, "order_id");
      if (by == nullptr || !get(domain::order_pk(*by), domain::order_pk(*by))) {
        problems.push_back("cart item of " + user + " is ORDERED without an existing order");
      }
    }
  }
  return problems;
}

TEST(CrashSoak, NoAcknowledgedOrderIsLostAcrossSigkills) {
  support::TempDir dir("cartflow-soak");
  ASSERT_FALSE(dir.path().empty()) << "no temporary folder";
  const std::string db = dir.file("c.db");
  ASSERT_EQ(run_command({"catalog", "load", "--db", db}).exit_code, 0);
  CommandOutput created =
      run_command({"keys", "create", "--db", db, "--rate", "100000", "--burst", "100000"});
  ASSERT_EQ(created.exit_code, 0) << created.out;
  const std::string key = last_line(created.out);

  ServerProcess server(db, dir.file("serve"));
  ASSERT_TRUE(server.start()) << server.stderr_text();
  std::vector<std::string> products;
  {
    RawResponse r = raw_exchange(server.port(), http_request("GET", "/products?limit=10", key));
    ASSERT_EQ(r.status, 200) << r.body;
    std::regex id(R"re("productId":"([^"]+)")re");
    for (std::sregex_iterator it(r.body.begin(), r.body.end(), id), end; it != end; ++it) {
      products.push_back((*it)[1].str());
    }
    ASSERT_GE(products.size(), 3u);
  }

  const unsigned seed = std::random_device{}();
  std::cout << "soak seed " << seed << "\n";
  std::mt19937 rng(seed);
  std::mutex mu;
  std::vector<AckedOrder> acked;      // guarded by mu
  std::vector<std::string> users;     // guarded by mu
  std::atomic<int> attempts{0};
  int kills = 0;

  for (int cycle = 0; cycle < kKills; ++cycle) {
    if (cycle > 0) {
      ASSERT_TRUE(server.start()) << "restart " << cycle << ": " << server.stderr_text();
    }
    const int port = server.port();
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < kClientThreads; ++t) {
      clients.emplace_back([&, t, port, thread_seed = rng()] {
        std::mt19937 local(thread_seed);
        for (int n = 0; !stop.load(); ++n) {
          const std::string user = "soak-" + std::to_string(cycle) + "-" + std::to_string(t) +
                                   "-" + std::to_string(n);
          {
            std::lock_guard lock(mu);
            users.push_back(user);
          }
          std::vector<std::string> chosen;
          const std::size_t count = 1 + local() % 2;
          const std::size_t first = local() % products.size();
          for (std::size_t i = 0; i < count; ++i) {
            chosen.push_back(products[(first + i) % products.size()]);
          }
          bool carted = true;
          for (const auto& p : chosen) {
            RawResponse r = raw_exchange(
                port, http_request("POST", "/cart/" + user, key,
                                   "{\"product_id\":\"" + p + "\",\"quantity\":" +
                                       std::to_string(1 + local() % 3) + "}"));
            carted = carted && r.status / 100 == 2;
          }
          if (!carted) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
          }
          ++attempts;
          RawResponse r =
              raw_exchange(port, http_request("POST", "/order", key, "{\"user_id\":\"" + user + "\"}"));
          if (r.status / 100 != 2) continue;
          std::smatch m;
          if (!std::regex_search(r.body, m, std::regex(R"re("order_id":"([^"]+)")re"))) continue;
          std::lock_guard lock(mu);
          acked.push_back(AckedOrder{m[1].str(), user, chosen});
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 1700));
    server.kill_now();
    ++kills;
    stop = true;
    for (auto& c : clients) c.join();
  }

  // The last restart, then the drain: the pipeline catches up on what the kills interrupted.
  ASSERT_TRUE(server.start()) << server.stderr_text();
  std::vector<std::string> problems;
  std::map<std::string, int> depths;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    depths = queue_depths(db);
    std::lock_guard lock(mu);
    problems = check_orders(db, acked, users);
    for (const auto& [name, depth] : depths) {
      if (depth != 0) problems.push_back("queue " + name + " holds " + std::to_string(depth));
    }
  } while (!problems.empty() && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(server.stop(), 0) << server.stderr_text();

  std::size_t lost = 0;
  for (const auto& p : problems) lost += p.find("is missing") != std::string::npos ? 1 : 0;
  std::cout << "crash soak: " << kills << " kills, " << attempts.load() << " orders attempted, "
            << acked.size() << " orders acknowledged, " << lost << " orders lost\n";
  EXPECT_GE(kills, 10);
  EXPECT_GT(acked.size(), 20u);
  EXPECT_FALSE(depths.empty()) << "no queue found in the file";
  for (const auto& p : problems) ADD_FAILURE() << p;
  if (!problems.empty()) {
    dir.keep();
    std::cout << "crash soak: database and server logs kept in " << dir.path() << "\n";
  }
}

}  // namespace
}  // namespace cartflow::testing
