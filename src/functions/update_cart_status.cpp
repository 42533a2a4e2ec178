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
  const domain::OrderMarking* marking = nullptr;  // the order's
  LineOutcome outcome = LineOutcome::kFailed;
};

// The counter each line outcome adds one to.
std::string_view counter_of(LineOutcome outcome) {
  switch (outcome) {
    case LineOutcome::kOrdered: return kCartItemsOrdered;
    case LineOutcome::kAlreadyOrdered: return kCartItemsAlreadyOrdered;
    case LineOutcome::kSkipped: return kCartItemsSkipped;
    case LineOutcome::kFailed: break;
  }
  return kTableErrors;
}

// The batch's messages decoded, by index in the event: `orders[i]` (and `markings[i]`) is
// empty when message i was malformed (then `failed[i]`) or its order is not in status ORDERED
// (ignored).
struct DecodedBatch {
  std::vector<std::optional<domain::Order>> orders;
  std::vector<std::optional<domain::OrderMarking>> markings;
  std::vector<bool> failed;
};

// Decodes every message, counting and logging the malformed and the ignored ones.
DecodedBatch decode_batch(const std::vector<events::SqsRecord>& records, const Logger& logger,
                          const InvocationContext& context, Counts& counts) {
  DecodedBatch batch{std::vector<std::optional<domain::Order>>(records.size()),
                     std::vector<std::optional<domain::OrderMarking>>(records.size()),
                     std::vector<bool>(records.size(), false)};
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto order = decode_order_message(records[i].body);
    if (!order.ok()) {
      batch.failed[i] = true;
      ++counts[std::string(kMessagesMalformed)];
      logger.error(context, "malformed order message",
                   {{"message_id", records[i].message_id}, {"error", order.error().message}});
      continue;
    }
    if (!order->status.empty() && order->status != domain::kStatusOrdered) {
      ++counts[std::string(kMessagesIgnored)];
      logger.warn(context, "order message ignored: order not in status ORDERED",
                  {{"message_id", records[i].message_id},
                   {"order_id", order->order_id},
                   {"order_status", order->status}});
      continue;
    }
    batch.markings[i].emplace(order->order_id);
    batch.orders[i] = std::move(order).value();
  }
  return batch;
}

// One task per line of every decoded order, in event order. The tasks point into `batch`,
// which must outlive them and not be resized.
std::vector<LineTask> line_tasks(const DecodedBatch& batch) {
  std::vector<LineTask> tasks;
  for (std::size_t i = 0; i < batch.orders.size(); ++i) {
    if (!batch.orders[i]) continue;
    for (const auto& line : batch.orders[i]->lines) {
      tasks.push_back({i, &*batch.orders[i], &line, &*batch.markings[i]});
    }
  }
  return tasks;
}

// The S value of attribute `name` of `item`, or empty when the item, the attribute or its S
// is absent. Views into `item`.
std::string_view s_attribute(const std::optional<Item>& item, std::string_view name) {
  if (!item) return {};
  auto it = item->find(name);
  if (it == item->end() || it->second.as_s() == nullptr) return {};
  return *it->second.as_s();
}

// Marks the cart items of the order lines. Called concurrently by the workers with distinct
// tasks; holds only references, which must outlive it.
class LineMarker {
 public:
  LineMarker(ports::Table& table, const Logger& logger, const InvocationContext& context,
             const std::vector<events::SqsRecord>& records)
      : table_(table), logger_(logger), context_(context), records_(records) {}

  // Marks the line's cart item ORDERED by its order; when the condition fails, reads the item
  // back to tell a redelivery from a changed or gone item. Logs every outcome but kOrdered.
  LineOutcome mark(const LineTask& task) const {
    const domain::Order& order = *task.order;
    const domain::OrderLine& line = *task.line;
    auto marking = task.marking->line(order.user_id, line.product_id, line.added_on);
    ports::UpdateRequest request{std::move(marking.key), std::move(marking.update),
                                 std::move(marking.condition), ports::ReturnValues::kNone};
    auto updated = table_.update(request);
    if (updated.ok()) return LineOutcome::kOrdered;
    if (updated.error().code != model::ErrorCode::kConditionFailed) {
      log_table_error(task, "cart item update failed", updated.error());
      return LineOutcome::kFailed;
    }
    return read_back(task, std::move(request.key));
  }

 private:
  // The condition failed: finds out whether this order already did the work.
  LineOutcome read_back(const LineTask& task, Item&& key) const {
    auto current = table_.get(ports::GetRequest{std::move(key), true, std::nullopt});
    if (!current.ok()) {
      log_table_error(task, "cart item read failed", current.error());
      return LineOutcome::kFailed;
    }
    const auto& item = current.value();
    if (domain::ordered_by(item, task.order->order_id)) {
      logger_.info(context_, "cart item already ordered by this order (redelivery)",
                   {{"message_id", message_id(task)},
                    {"order_id", task.order->order_id},
                    {"product_id", task.line->product_id}});
      return LineOutcome::kAlreadyOrdered;
    }
    log_skipped(task, item);
    return LineOutcome::kSkipped;
  }

  void log_table_error(const LineTask& task, std::string_view message,
                       const Error& error) const {
    logger_.error(context_, message,
                  {{"message_id", message_id(task)},
                   {"order_id", task.order->order_id},
                   {"product_id", task.line->product_id},
                   {"error_code", model::error_code_name(error.code)},
                   {"error", error.message}});
  }

  // `item` is the cart item as read back (absent: gone), not marked by this order.
  void log_skipped(const LineTask& task, const std::optional<Item>& item) const {
    std::string found_added_on;
    if (item) {
      auto it = item->find(domain::kAttrAddedOn);
      if (it != item->end()) found_added_on = domain::added_on_text(it->second);
    }
    logger_.warn(context_, item ? "cart item changed since the order (re-added, released by a "
                                  "cancellation, or ordered again); left as is"
                                : "cart item gone; nothing to mark",
                 {{"message_id", message_id(task)},
                  {"order_id", task.order->order_id},
                  {"product_id", task.line->product_id},
                  {"expected_added_on", domain::added_on_text(task.line->added_on)},
                  {"found_status", s_attribute(item, domain::kAttrCartProductStatus)},
                  {"found_added_on", found_added_on},
                  {"found_order_id", s_attribute(item, domain::kAttrOrderId)}});
  }

  const std::string& message_id(const LineTask& task) const {
    return records_[task.message].message_id;
  }

  ports::Table& table_;
  const Logger& logger_;
  const InvocationContext& context_;
  const std::vector<events::SqsRecord>& records_;
};

// Adds to `failed` the messages with a failed line, then lists and counts the failed
// messages, in event order.
events::BatchResponse failed_messages(const std::vector<events::SqsRecord>& records,
                                      const std::vector<LineTask>& tasks,
                                      std::vector<bool>& failed, Counts& counts) {
  for (const auto& task : tasks) {
    if (task.outcome == LineOutcome::kFailed) failed[task.message] = true;
  }
  events::BatchResponse response;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!failed[i]) continue;
    ++counts[std::string(kMessagesFailed)];
    response.batch_item_failures.push_back({records[i].message_id});
  }
  return response;
}

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

  DecodedBatch batch = decode_batch(records, logger_, context, counts);
  std::vector<LineTask> tasks = line_tasks(batch);

  const LineMarker marker(table_, logger_, context, records);
  std::mutex counts_mutex;
  workers_->run(tasks.size(), [&](std::size_t t) {
    tasks[t].outcome = marker.mark(tasks[t]);
    std::lock_guard<std::mutex> lock(counts_mutex);
    ++counts[std::string(counter_of(tasks[t].outcome))];
  });

  events::BatchResponse response = failed_messages(records, tasks, batch.failed, counts);
  logger_.info(context, "queue batch processed",
               {{"messages", records.size()},
                {"lines", tasks.size()},
                {"failed_messages", response.batch_item_failures.size()}});
  flush_counts(logger_, metrics_, counts);
  return events::to_json(response);
}

}  // namespace cartflow::functions
