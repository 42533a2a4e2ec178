// SPDX-License-Identifier: Apache-2.0
#include "functions/update_cart_status.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "domain/cart.h"
#include "domain/keys.h"
#include "domain/order_message.h"
#include "events/batch_response.h"
#include "events/dynamodb_stream.h"
#include "events/sqs.h"
#include "functions/update_cart_status_workers.h"
#include "model/dynamo_json.h"
#include "model/expression.h"

namespace cartflow::functions {
namespace {

using model::AttributeValue;
using model::Error;
using model::Item;
using model::Result;

enum class LineOutcome { kOrdered, kAlreadyOrdered, kSkipped, kFailed };

struct LineTask {
  std::size_t message = 0;  // index in the event
  const domain::Order* order = nullptr;
  const domain::OrderLine* line = nullptr;
  LineOutcome outcome = LineOutcome::kFailed;
};

}  // namespace

Result<domain::Order> decode_order_message(std::string_view body) {
  auto order = domain::read_order_message(body);
  if (order.ok()) return order;
  // Not an order image: maybe a whole stream record (the reference consumer's format).
  auto record = events::parse_dynamodb_stream_record(body);
  if (!record.ok()) return order;
  if (!record->dynamodb.new_image) return Error::invalid("stream record without NewImage");
  return domain::order_from_item(*record->dynamodb.new_image);
}

UpdateCartStatus::UpdateCartStatus(ports::Table& table, const Logger& logger, Metrics& metrics,
                                   UpdateCartStatusOptions options)
    : table_(table),
      logger_(logger),
      metrics_(metrics),
      workers_(std::make_unique<Workers>(std::max<std::size_t>(options.max_concurrency, 1) - 1)) {}

UpdateCartStatus::~UpdateCartStatus() = default;

model::Result<std::string> UpdateCartStatus::invoke(std::string_view event_json,
                                                    const InvocationContext& context) {
  auto parsed = events::parse_sqs_event(event_json);
  if (!parsed.ok()) {
    logger_.error(context, "not an SQS event", {{"error", parsed.error().message}});
    return std::move(parsed).error();
  }
  const auto& records = parsed->records;
  Counts counts;
  counts[std::string(kMessagesReceived)] += static_cast<std::int64_t>(records.size());

  std::vector<std::optional<domain::Order>> orders(records.size());
  std::vector<bool> failed(records.size(), false);
  std::vector<LineTask> tasks;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto order = decode_order_message(records[i].body);
    if (!order.ok()) {
      failed[i] = true;
      ++counts[std::string(kMessagesMalformed)];
      logger_.error(context, "malformed order message",
                    {{"message_id", records[i].message_id}, {"error", order.error().message}});
      continue;
    }
    if (!order->status.empty() && order->status != domain::kStatusOrdered) {
      ++counts[std::string(kMessagesIgnored)];
      logger_.warn(context, "order message ignored: order not in status ORDERED",
                   {{"message_id", records[i].message_id},
                    {"order_id", order->order_id},
                    {"order_status", order->status}});
      continue;
    }
    orders[i] = std::move(order).value();
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!orders[i]) continue;
    for (const auto& line : orders[i]->lines) tasks.push_back({i, &*orders[i], &line});
  }

  std::mutex counts_mutex;
  auto count = [&](std::string_view name) {
    std::lock_guard<std::mutex> lock(counts_mutex);
    ++counts[std::string(name)];
  };
  workers_->run(tasks.size(), [&](std::size_t t) {
    LineTask& task = tasks[t];
    const domain::Order& order = *task.order;
    const domain::OrderLine& line = *task.line;
    const std::string& message_id = records[task.message].message_id;
    auto mark = domain::mark_cart_item_ordered(order.user_id, line.product_id, line.added_on,
                                               order.order_id);
    ports::UpdateRequest request{std::move(mark.key), std::move(mark.update),
                                 std::move(mark.condition), ports::ReturnValues::kNone};
    auto updated = table_.update(request);
    if (updated.ok()) {
      task.outcome = LineOutcome::kOrdered;
      count(kCartItemsOrdered);
      return;
    }
    if (updated.error().code != model::ErrorCode::kConditionFailed) {
      task.outcome = LineOutcome::kFailed;
      count(kTableErrors);
      logger_.error(context, "cart item update failed",
                    {{"message_id", message_id},
                     {"order_id", order.order_id},
                     {"product_id", line.product_id},
                     {"error_code", model::error_code_name(updated.error().code)},
                     {"error", updated.error().message}});
      return;
    }
    // The condition failed: find out whether this order already did the work.
    auto current = table_.get(ports::GetRequest{std::move(request.key), true, std::nullopt});
    if (!current.ok()) {
      task.outcome = LineOutcome::kFailed;
      count(kTableErrors);
      logger_.error(context, "cart item read failed",
                    {{"message_id", message_id},
                     {"order_id", order.order_id},
                     {"product_id", line.product_id},
                     {"error_code", model::error_code_name(current.error().code)},
                     {"error", current.error().message}});
      return;
    }
    const auto& item = current.value();
    auto s_of = [&item](std::string_view name) -> std::string_view {
      if (!item) return {};
      auto it = item->find(name);
      if (it == item->end() || it->second.as_s() == nullptr) return {};
      return *it->second.as_s();
    };
    if (domain::ordered_by(item, order.order_id)) {
      task.outcome = LineOutcome::kAlreadyOrdered;
      count(kCartItemsAlreadyOrdered);
      logger_.info(context, "cart item already ordered by this order (redelivery)",
                   {{"message_id", message_id},
                    {"order_id", order.order_id},
                    {"product_id", line.product_id}});
      return;
    }
    task.outcome = LineOutcome::kSkipped;
    count(kCartItemsSkipped);
    std::string found_added_on;
    if (item) {
      auto it = item->find(domain::kAttrAddedOn);
      if (it != item->end()) found_added_on = domain::added_on_text(it->second);
    }
    logger_.warn(context, item ? "cart item changed since the order (re-added, released by a "
                                 "cancellation, or ordered again); left as is"
                               : "cart item gone; nothing to mark",
                 {{"message_id", message_id},
                  {"order_id", order.order_id},
                  {"product_id", line.product_id},
                  {"expected_added_on", domain::added_on_text(line.added_on)},
                  {"found_status", s_of(domain::kAttrCartProductStatus)},
                  {"found_added_on", found_added_on},
                  {"found_order_id", s_of(domain::kAttrOrderId)}});
  });

  for (const auto& task : tasks) {
    if (task.outcome == LineOutcome::kFailed) failed[task.message] = true;
  }
  events::BatchResponse response;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!failed[i]) continue;
    ++counts[std::string(kMessagesFailed)];
    response.batch_item_failures.push_back({records[i].message_id});
  }
  logger_.info(context, "queue batch processed",
               {{"messages", records.size()},
                {"lines", tasks.size()},
                {"failed_messages", response.batch_item_failures.size()}});
  flush_counts(logger_, metrics_, counts);
  return events::to_json(response);
}

}  // namespace cartflow::functions
