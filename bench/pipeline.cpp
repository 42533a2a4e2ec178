// SPDX-License-Identifier: Apache-2.0
// Pipeline benchmark on the embedded store, wired as `cartflow serve` wires it (EmbeddedSystem:
// Database, SqliteTable, SqliteChangeStream, SqliteQueue, the three handlers; the stream mapping
// invoking process-cart-products, the queue mapping invoking update-cart-status), durable.
//
// 1. Sustained rate: carts are filled for N users, then N orders are placed as fast as 16
//    threads (serve's API workers) can call the API handler; the rate is N over the time from
//    the first order to the moment the last order's cart items are all ORDERED.
// 2. Lag at half that rate: orders paced at rate/2 for a fixed time; for each order, the time
//    from its commit (POST /order answered 201) to the end of the update-cart-status invocation
//    that marked its last cart item ORDERED (the invocation answered with no failure).
//
//   pipeline_bench [--orders N] [--seconds S] [--out FILE.json] [--db DIR]
// Prints and writes one JSON object. Logs of the functions go to stderr (redirect them).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "embedded_system.h"
#include "events/api_gateway.h"
#include "events/batch_response.h"
#include "events/sqs.h"
#include "functions/api.h"
#include "functions/update_cart_status.h"
#include "platform/queue_mapping.h"
#include "platform/sqlite_checkpoint_store.h"
#include "platform/stream_mapping.h"
#include "support/temp_dir.h"

namespace {

using namespace cartflow;
using Clock = std::chrono::steady_clock;

double micros_since(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

// Completion times by order id, and commit times, shared by the producer and the decorator.
class Tracker {
 public:
  void committed(const std::string& order_id, Clock::time_point at) {
    std::lock_guard lock(mutex_);
    committed_[order_id] = at;
  }
  void completed(const std::string& order_id, Clock::time_point at) {
    std::lock_guard lock(mutex_);
    completed_[order_id] = at;
    completed_count_.store(completed_.size());
  }
  std::size_t completed_count() const { return completed_count_.load(); }
  // Lags (microseconds) of the given orders that completed; missing ones are counted.
  std::vector<double> lags(const std::vector<std::string>& ids, std::size_t& missing) {
    std::lock_guard lock(mutex_);
    std::vector<double> out;
    missing = 0;
    for (const auto& id : ids) {
      auto c = committed_.find(id);
      auto d = completed_.find(id);
      if (c == committed_.end() || d == completed_.end()) {
        ++missing;
        continue;
      }
      // The commit is recorded after the API call returns; a fast pipeline can finish first.
      out.push_back(std::max(0.0, micros_since(c->second, d->second)));
    }
    return out;
  }
  Clock::time_point last_completion(const std::vector<std::string>& ids) {
    std::lock_guard lock(mutex_);
    Clock::time_point last{};
    for (const auto& id : ids) {
      if (auto d = completed_.find(id); d != completed_.end()) last = std::max(last, d->second);
    }
    return last;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Clock::time_point> committed_;
  std::unordered_map<std::string, Clock::time_point> completed_;
  std::atomic<std::size_t> completed_count_{0};
};

// update-cart-status, recording when each order's message was handled without failure.
class TrackingHandler final : public functions::Handler {
 public:
  TrackingHandler(functions::Handler& inner, Tracker& tracker) : inner_(inner), tracker_(tracker) {}
  std::string_view name() const override { return inner_.name(); }
  model::Result<std::string> invoke(std::string_view event_json,
                                    const functions::InvocationContext& context) override {
    auto response = inner_.invoke(event_json, context);
    const auto now = Clock::now();
    if (!response.ok()) return response;
    auto event = events::parse_sqs_event(event_json);
    auto batch = events::parse_batch_response(*response);
    if (!event.ok() || !batch.ok()) return response;
    for (const auto& record : event->records) {
      const bool failed = std::any_of(
          batch->batch_item_failures.begin(), batch->batch_item_failures.end(),
          [&](const events::BatchItemFailure& f) { return f.item_identifier == record.message_id; });
      if (failed) continue;
      auto message = functions::decode_order_message(record.body);
      if (message.ok()) tracker_.completed(message->order_id, now);
    }
    return response;
  }

 private:
  functions::Handler& inner_;
  Tracker& tracker_;
};

events::ApiGatewayRequest api_request(std::string method, std::string resource, std::string path,
                                      std::map<std::string, std::string> params,
                                      std::string body) {
  events::ApiGatewayRequest r;
  r.http_method = std::move(method);
  r.resource = std::move(resource);
  r.path = std::move(path);
  r.path_parameters = std::move(params);
  r.headers["Content-Type"] = "application/json";
  r.request_context.stage = "Dev";
  r.request_context.http_method = r.http_method;
  r.request_context.resource_path = r.resource;
  r.request_context.path = "/Dev" + r.path;
  r.body = std::move(body);
  return r;
}

std::string user_name(const std::string& phase, std::size_t i) {
  return "p" + phase + "u" + std::to_string(i);
}

// Adds `items` products to the cart of each user [0, n) of the phase, on two threads.
bool fill_carts(functions::ApiHandler& api, const std::vector<std::string>& products,
                const std::string& phase, std::size_t n, std::size_t items) {
  std::atomic<bool> ok{true};
  auto work = [&](std::size_t begin) {
    for (std::size_t i = begin; i < n && ok; i += 2) {
      const std::string user = user_name(phase, i);
      for (std::size_t k = 0; k < items; ++k) {
        const std::string& product = products[(i + k) % products.size()];
        auto r = api.handle(api_request("POST", "/cart/{user_id}", "/cart/" + user,
                                        {{"user_id", user}},
                                        R"({"product_id":")" + product + R"(","quantity":1})"),
                            {});
        if (r.status_code != 200) {
          std::cerr << "pipeline: POST /cart " << r.status_code << " " << r.body << "\n";
          ok = false;
        }
      }
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  return ok;
}

// Places the order of `user`; returns its id, empty on failure.
std::string place_order(functions::ApiHandler& api, Tracker& tracker, const std::string& user) {
  auto r = api.handle(api_request("POST", "/order", "/order", {},
                                  R"({"user_id":")" + user + R"("})"),
                      {});
  const auto now = Clock::now();
  if (r.status_code != 201) {
    std::cerr << "pipeline: POST /order " << r.status_code << " " << r.body << "\n";
    return {};
  }
  const std::string marker = R"("order_id":")";
  const auto at = r.body.find(marker);
  if (at == std::string::npos) return {};
  const auto begin = at + marker.size();
  std::string id = r.body.substr(begin, r.body.find('"', begin) - begin);
  tracker.committed(id, now);
  return id;
}

bool wait_for(Tracker& tracker, std::size_t count, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (tracker.completed_count() < count) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(index, v.size() - 1)];
}

std::vector<std::string> product_ids(functions::ApiHandler& api) {
  auto r = api.handle(api_request("GET", "/products", "/products", {}, ""), {});
  std::vector<std::string> ids;
  const std::string marker = R"("productId":")";
  for (auto at = r.body.find(marker); at != std::string::npos; at = r.body.find(marker, at)) {
    at += marker.size();
    ids.push_back(r.body.substr(at, r.body.find('"', at) - at));
  }
  return ids;
}

int run(std::size_t orders, double seconds, const std::string& out_path, std::string dir) {
  std::optional<support::TempDir> own_dir;  // when no --dir is given
  if (dir.empty()) {
    own_dir.emplace("cartflow-pipeline-bench");
    if (own_dir->path().empty()) return 1;
    dir = own_dir->path();
  }
  int rc = 1;
  {
    app::EmbeddedOptions options;
    options.db_path = dir + "/c.db";
    auto opened = app::EmbeddedSystem::open(options);
    if (!opened.ok()) {
      std::cerr << "pipeline: " << opened.error().message << "\n";
      return 1;
    }
    app::EmbeddedSystem& system = **opened;
    auto& api = static_cast<functions::ApiHandler&>(*system.handler("api"));
    api.handle(api_request("POST", "/loadProducts", "/loadProducts", {}, ""), {});
    const auto products = product_ids(api);
    if (products.empty()) {
      std::cerr << "pipeline: no products\n";
      return 1;
    }

    Tracker tracker;
    TrackingHandler tracking(*system.handler("update-cart-status"), tracker);
    platform::SqliteCheckpointStore checkpoints(system.database(), system.clock());
    platform::StreamMappingConfig stream_config = system.settings().stream;
    stream_config.on_failure = &system.stream_failure_queue();
    auto stream = platform::StreamMapping::create(stream_config, system.change_stream(),
                                                  checkpoints,
                                                  *system.handler("process-cart-products"),
                                                  system.clock());
    auto queue = platform::QueueMapping::create(system.settings().queue, system.queue(), tracking);
    if (!stream.ok() || !queue.ok()) {
      std::cerr << "pipeline: mapping setup failed\n";
      return 1;
    }
    (*stream)->start();
    (*queue)->start();
    constexpr std::size_t kItems = 2;
    constexpr std::size_t kCallers = 16;

    // 1. Sustained rate.
    if (!fill_carts(api, products, "s", orders, kItems)) return 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // cart records drain
    std::vector<std::string> ids(orders);
    const auto start = Clock::now();
    {
      // As many callers as `cartflow serve` has API workers, so commits can share fsyncs.
      std::vector<std::thread> callers;
      for (std::size_t t = 0; t < kCallers; ++t) {
        callers.emplace_back([&, t] {
          for (std::size_t i = t; i < orders; i += kCallers) {
            ids[i] = place_order(api, tracker, user_name("s", i));
          }
        });
      }
      for (auto& c : callers) c.join();
    }
    const auto placed = Clock::now();
    const bool drained = wait_for(tracker, orders, std::chrono::seconds(120));
    const double elapsed_s = micros_since(start, tracker.last_completion(ids)) / 1e6;
    const double sustained = static_cast<double>(orders) / elapsed_s;
    const double placing = static_cast<double>(orders) / (micros_since(start, placed) / 1e6);
    std::size_t missing_s = 0;
    const auto lags_s = tracker.lags(ids, missing_s);

    // 2. Lag at half the sustained rate.
    const double rate = sustained / 2;
    const auto paced = static_cast<std::size_t>(rate * seconds);
    if (!fill_carts(api, products, "h", paced, kItems)) return 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::vector<std::string> paced_ids(paced);
    const auto paced_start = Clock::now();
    for (std::size_t i = 0; i < paced; ++i) {
      std::this_thread::sleep_until(
          paced_start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(static_cast<double>(i) / rate)));
      paced_ids[i] = place_order(api, tracker, user_name("h", i));
    }
    const bool paced_drained = wait_for(tracker, orders + paced, std::chrono::seconds(120));
    std::size_t missing_h = 0;
    const auto lags_h = tracker.lags(paced_ids, missing_h);
    (*stream)->stop();
    (*queue)->stop();

    char json[1024];
    std::snprintf(json, sizeof json,
                  "{\"orders\":%zu,\"items_per_order\":%zu,\"placing_orders_per_s\":%.1f,"
                  "\"sustained_orders_per_s\":%.1f,\"saturated_lag_p50_ms\":%.2f,"
                  "\"saturated_lag_p99_ms\":%.2f,\"half_rate_orders_per_s\":%.1f,"
                  "\"half_rate_orders\":%zu,\"lag_p50_ms\":%.2f,\"lag_p99_ms\":%.2f,"
                  "\"lag_max_ms\":%.2f,\"incomplete\":%zu}",
                  orders, kItems, placing, sustained, percentile(lags_s, 50) / 1e3,
                  percentile(lags_s, 99) / 1e3, rate, paced, percentile(lags_h, 50) / 1e3,
                  percentile(lags_h, 99) / 1e3, percentile(lags_h, 100) / 1e3,
                  missing_s + missing_h);
    std::cout << json << std::endl;
    if (!out_path.empty()) std::ofstream(out_path) << json << "\n";
    rc = drained && paced_drained ? 0 : 1;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t orders = 3000;
  double seconds = 8;
  std::string out;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--orders") orders = std::strtoul(argv[i + 1], nullptr, 10);
    else if (arg == "--seconds") seconds = std::strtod(argv[i + 1], nullptr);
    else if (arg == "--out") out = argv[i + 1];
    else if (arg == "--db") dir = argv[i + 1];
  }
  if (orders == 0 || seconds <= 0) {
    std::cerr << "usage: pipeline_bench [--orders N] [--seconds S] [--out FILE] [--db DIR]\n";
    return 2;
  }
  return run(orders, seconds, out, dir);
}
