// SPDX-License-Identifier: Apache-2.0
// CPU cost per record of process-cart-products and update-cart-status with in-memory ports.
// Counter "per_record" is the time of one invocation divided by its records (CPU time of the
// invoking thread, or wall time for the runs marked real_time; seconds, printed with an SI
// prefix: 4.1u = 4.1 microseconds). A record is one stream record (an order of 3 lines) for
// process-cart-products, one SQS message (the same order) for update-cart-status.

#include <benchmark/benchmark.h>

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/keys.h"
#include "events/dynamodb_stream.h"
#include "events/sqs.h"
#include "functions/logging.h"
#include "functions/process_cart_products.h"
#include "functions/update_cart_status.h"
#include "model/dynamo_json.h"
#include "model/expression.h"
#include "support/memory_table.h"

namespace {

using cartflow::model::AttributeValue;
using cartflow::model::Error;
using cartflow::model::Item;
using cartflow::model::Result;
namespace ports = cartflow::ports;
namespace functions = cartflow::functions;
namespace events = cartflow::events;
namespace model = cartflow::model;

using cartflow::support::MemoryTable;

// A queue that accepts every entry and forgets it (only counts).
class NullQueue final : public ports::Queue {
 public:
  const std::string& name() const override { return name_; }
  Result<ports::SendSuccess> send(const ports::SendEntry& e) override {
    ++sent_;
    return ports::SendSuccess{e.id, "id", ""};
  }
  Result<ports::SendBatchResult> send_batch(const std::vector<ports::SendEntry>& entries) override {
    ports::SendBatchResult result;
    result.successful.reserve(entries.size());
    for (const auto& e : entries) result.successful.push_back({e.id, "id", ""});
    sent_ += static_cast<std::int64_t>(entries.size());
    return result;
  }
  Result<std::vector<ports::Message>> receive(const ports::ReceiveRequest&) override {
    return std::vector<ports::Message>{};
  }
  model::Status remove(const std::string&) override { return {}; }
  Result<ports::DeleteBatchResult> remove_batch(const std::vector<ports::DeleteEntry>&) override {
    return ports::DeleteBatchResult{};
  }
  model::Status change_visibility(const std::string&, int) override { return {}; }
  Result<ports::QueueCounts> counts() override { return ports::QueueCounts{}; }
  model::Status purge() override { return {}; }
  std::int64_t sent() const { return sent_; }

 private:
  std::string name_ = "null";
  std::int64_t sent_ = 0;
};

constexpr int kLinesPerOrder = 3;

std::string added_on(int user, int product) {
  return "2024-05-01T09:" + std::to_string(10 + product) + ":00." + std::to_string(100 + user) +
         "Z";
}

Item cart_item(int user, int product) {
  const std::string u = "user-" + std::to_string(user);
  const std::string p = "product-" + std::to_string(product);
  return {{"PK", AttributeValue(cartflow::domain::user_pk(u))},
          {"SK", AttributeValue(cartflow::domain::cart_item_sk(p))},
          {"userId", AttributeValue(u)},
          {"productId", AttributeValue(p)},
          {"quantity", AttributeValue::integer(1)},
          {"cartProductStatus", AttributeValue("PENDING")},
          {"addedOn", AttributeValue(added_on(user, product))}};
}

// An order as the API writes it: 3 lines, realistic attribute set.
Item order(int user) {
  const std::string u = "user-" + std::to_string(user);
  const std::string id = "0f8fad5b-d9cb-469f-a165-70867728" + std::to_string(1000 + user);
  model::List lines;
  for (int p = 0; p < kLinesPerOrder; ++p) {
    lines.push_back(AttributeValue(model::Map{
        {"productId", AttributeValue("product-" + std::to_string(p))},
        {"quantity", AttributeValue::integer(1)},
        {"price", AttributeValue::integer(2599)},
        {"name", AttributeValue("Product number " + std::to_string(p))},
        {"addedOn", AttributeValue(added_on(user, p))}}));
  }
  return {{"PK", AttributeValue(cartflow::domain::order_pk(id))},
          {"SK", AttributeValue(cartflow::domain::order_pk(id))},
          {"GSI1PK", AttributeValue(cartflow::domain::user_pk(u))},
          {"GSI1SK", AttributeValue("ORDER#2024-05-01T10:00:00.000Z#" + id)},
          {"user_id", AttributeValue(u)},
          {"order_id", AttributeValue(id)},
          {"order_status", AttributeValue("ORDERED")},
          {"order_date", AttributeValue("2024-05-01T10:00:00.000Z")},
          {"order_total", AttributeValue::integer(2599 * kLinesPerOrder)},
          {"order_items", AttributeValue(std::move(lines))}};
}

std::string stream_event(int records) {
  events::DynamoDbStreamEvent event;
  for (int i = 0; i < records; ++i) {
    events::DynamoDbStreamRecord r;
    r.event_id = "c4ca4238a0b923820dcc509a6f75849" + std::to_string(i);
    r.event_name = "INSERT";
    r.event_version = "1.1";
    r.event_source = "aws:dynamodb";
    r.aws_region = "us-east-1";
    r.event_source_arn =
        "arn:aws:dynamodb:us-east-1:123456789012:table/EcommerceAppTable/stream/2024-05-01T00:00:00.000";
    Item image = order(i);
    r.dynamodb.approximate_creation_date_time = 1714557600;
    r.dynamodb.keys = {{"PK", image.at("PK")}, {"SK", image.at("SK")}};
    r.dynamodb.new_image = std::move(image);
    r.dynamodb.sequence_number = std::to_string(100000000000000000000.0 + i);
    r.dynamodb.size_bytes = 700;
    r.dynamodb.stream_view_type = "NEW_IMAGE";
    event.records.push_back(std::move(r));
  }
  return events::to_json(event);
}

std::string sqs_event(int messages) {
  events::SqsEvent event;
  for (int i = 0; i < messages; ++i) {
    events::SqsRecord r;
    r.message_id = "059f36b4-87a3-44ab-83d2-66197583" + std::to_string(1000 + i);
    r.receipt_handle = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a" + std::to_string(i);
    r.body = model::to_dynamo_json(order(i));
    r.set_attributes({{"ApproximateReceiveCount", "1"},
                      {"SentTimestamp", "1545082649183"},
                      {"SenderId", "AIDAIENQZJOLO23YVJ4VO"},
                      {"ApproximateFirstReceiveTimestamp", "1545082649185"}});
    r.set_message_attributes(
        {{"order_id", {std::string("order"), std::nullopt, {}, {}, "String"}}});
    r.md5_of_body = "e4e68fb7bd0e697a0ae8f1bb342846b3";
    r.event_source = "aws:sqs";
    r.event_source_arn = "arn:aws:sqs:us-east-1:123456789012:UpdateCartProductsSQS";
    r.aws_region = "us-east-1";
    event.records.push_back(std::move(r));
  }
  return events::to_json(event);
}

void set_per_record(benchmark::State& state, int records) {
  state.SetItemsProcessed(state.iterations() * records);
  state.counters["per_record"] = benchmark::Counter(
      static_cast<double>(records),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

functions::InvocationContext context() {
  functions::InvocationContext c;
  c.request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678";
  c.trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  return c;
}

void BM_ProcessCartProducts(benchmark::State& state) {
  const int records = static_cast<int>(state.range(0));
  const std::string event = stream_event(records);
  NullQueue queue;
  functions::Logger logger("cartflow", [](std::string_view) {});
  functions::Metrics metrics;
  functions::ProcessCartProducts handler(queue, logger, metrics);
  const auto c = context();
  for (auto _ : state) {
    auto response = handler.invoke(event, c);
    if (!response.ok()) state.SkipWithError(response.error().message.c_str());
    benchmark::DoNotOptimize(response);
  }
  if (queue.sent() != static_cast<std::int64_t>(state.iterations()) * records) {
    state.SkipWithError("not every order was sent");
  }
  set_per_record(state, records);
}
BENCHMARK(BM_ProcessCartProducts)->Arg(1)->Arg(10)->Arg(100);

// Fresh orders: every line's conditional update succeeds. The cart items are reset to PENDING
// between iterations (outside the timing).
void BM_UpdateCartStatus(benchmark::State& state) {
  const int messages = static_cast<int>(state.range(0));
  const auto concurrency = static_cast<std::size_t>(state.range(1));
  const std::string event = sqs_event(messages);
  MemoryTable table;
  functions::Logger logger("cartflow", [](std::string_view) {});
  functions::Metrics metrics;
  functions::UpdateCartStatus handler(table, logger, metrics, {concurrency});
  const auto c = context();
  auto reset = [&] {
    for (int u = 0; u < messages; ++u) {
      for (int p = 0; p < kLinesPerOrder; ++p) (void)table.put({cart_item(u, p)});
    }
  };
  for (auto _ : state) {
    state.PauseTiming();
    reset();
    state.ResumeTiming();
    auto response = handler.invoke(event, c);
    if (!response.ok() || *response != R"({"batchItemFailures":[]})") {
      state.SkipWithError("unexpected response");
    }
    benchmark::DoNotOptimize(response);
  }
  if (metrics.value(functions::kCartItemsOrdered) !=
      static_cast<std::int64_t>(state.iterations()) * messages * kLinesPerOrder) {
    state.SkipWithError("not every cart item was ordered");
  }
  set_per_record(state, messages);
}
BENCHMARK(BM_UpdateCartStatus)->Args({1, 1})->Args({5, 1})->Args({10, 1});
// With helper threads the caller's CPU time misses the helpers' work: measure wall time.
BENCHMARK(BM_UpdateCartStatus)->Args({5, 4})->Args({10, 4})->UseRealTime();

// Redeliveries: every line's condition fails and the item is read back (the slow path).
void BM_UpdateCartStatusRedelivery(benchmark::State& state) {
  const int messages = static_cast<int>(state.range(0));
  const std::string event = sqs_event(messages);
  MemoryTable table;
  functions::Logger logger("cartflow", [](std::string_view) {});
  functions::Metrics metrics;
  functions::UpdateCartStatus handler(table, logger, metrics, {1});
  for (int u = 0; u < messages; ++u) {
    for (int p = 0; p < kLinesPerOrder; ++p) (void)table.put({cart_item(u, p)});
  }
  const auto c = context();
  (void)handler.invoke(event, c);  // the first delivery
  for (auto _ : state) {
    auto response = handler.invoke(event, c);
    benchmark::DoNotOptimize(response);
  }
  set_per_record(state, messages);
}
BENCHMARK(BM_UpdateCartStatusRedelivery)->Arg(5);

void BM_DecodeOrderMessage(benchmark::State& state) {
  const std::string body = model::to_dynamo_json(order(1));
  for (auto _ : state) {
    auto decoded = functions::decode_order_message(body);
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_DecodeOrderMessage);

}  // namespace
