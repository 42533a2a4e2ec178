// SPDX-License-Identifier: Apache-2.0
#include "functions/update_cart_status.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "domain/keys.h"
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

constexpr std::string_view kStatusAttribute = "cartProductStatus";
constexpr std::string_view kAddedOnAttribute = "addedOn";
constexpr std::string_view kOrderIdAttribute = "order_id";

Result<std::string> required_s(const model::Map& map, std::string_view name,
                               std::string_view where) {
  auto it = map.find(name);
  if (it == map.end()) return Error::invalid(std::string(where) + std::string(name) + " missing");
  const std::string* s = it->second.as_s();
  if (s == nullptr || s->empty()) {
    return Error::invalid(std::string(where) + std::string(name) + " is not a non-empty S");
  }
  return *s;
}

Result<OrderMessage> order_from_image(const Item& image) {
  OrderMessage order;
  auto order_id = required_s(image, "order_id", "");
  if (!order_id.ok()) return std::move(order_id).error();
  order.order_id = std::move(order_id).value();
  auto user_id = required_s(image, "user_id", "");
  if (!user_id.ok()) return std::move(user_id).error();
  order.user_id = std::move(user_id).value();
  if (auto it = image.find("order_status"); it != image.end() && it->second.as_s() != nullptr) {
    order.order_status = *it->second.as_s();
  }
  auto items = image.find("order_items");
  if (items == image.end() || items->second.as_l() == nullptr) {
    return Error::invalid("order_items missing or not a list");
  }
  const auto& list = *items->second.as_l();
  order.lines.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "order_items[" + std::to_string(i) + "].";
    const model::Map* line_map = list[i].as_m();
    if (line_map == nullptr) return Error::invalid(where + " is not a map");
    OrderLine line;
    auto product = required_s(*line_map, "productId", where);
    if (!product.ok()) return std::move(product).error();
    line.product_id = std::move(product).value();
    auto added = required_s(*line_map, kAddedOnAttribute, where);
    if (!added.ok()) return std::move(added).error();
    line.added_on = std::move(added).value();
    auto quantity = line_map->find("quantity");
    if (quantity == line_map->end()) return Error::invalid(where + "quantity missing");
    if (const auto* n = quantity->second.as_n(); n != nullptr) {
      line.quantity = n->to_string();
    } else if (const auto* s = quantity->second.as_s(); s != nullptr) {
      auto number = model::Number::parse(*s);  // the reference consumer's string quantity
      if (!number.ok()) return Error::invalid(where + "quantity is not a number: " + *s);
      line.quantity = number->to_string();
    } else {
      return Error::invalid(where + "quantity is neither N nor S");
    }
    order.lines.push_back(std::move(line));
  }
  return order;
}

enum class LineOutcome { kOrdered, kAlreadyOrdered, kSkipped, kFailed };

struct LineTask {
  std::size_t message = 0;  // index in the event
  const OrderMessage* order = nullptr;
  const OrderLine* line = nullptr;
  LineOutcome outcome = LineOutcome::kFailed;
};

}  // namespace

Result<OrderMessage> decode_order_message(std::string_view body) {
  auto image = model::parse_item(body);
  if (image.ok()) return order_from_image(*image);
  // Not a bare image: maybe a whole stream record (the reference consumer's format).
  auto record = events::parse_dynamodb_stream_record(body);
  if (record.ok()) {
    if (!record->dynamodb.new_image) return Error::invalid("stream record without NewImage");
    return order_from_image(*record->dynamodb.new_image);
  }
  return Error::invalid("body is neither an order image nor a stream record: " +
                        image.error().message);
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

  std::vector<std::optional<OrderMessage>> orders(records.size());
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
    if (!order->order_status.empty() && order->order_status != domain::kStatusOrdered) {
      ++counts[std::string(kMessagesIgnored)];
      logger_.warn(context, "order message ignored: order not in status ORDERED",
                   {{"message_id", records[i].message_id},
                    {"order_id", order->order_id},
                    {"order_status", order->order_status}});
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
    const OrderMessage& order = *task.order;
    const OrderLine& line = *task.line;
    const std::string& message_id = records[task.message].message_id;
    Item key{{std::string(domain::kPk), AttributeValue(domain::user_pk(order.user_id))},
             {std::string(domain::kSk), AttributeValue(domain::cart_item_sk(line.product_id))}};
    ports::UpdateRequest request;
    request.key = key;
    request.update.set(model::path(std::string(kStatusAttribute)),
                       AttributeValue(std::string(domain::kStatusOrdered)));
    request.update.set(model::path(std::string(kOrderIdAttribute)), AttributeValue(order.order_id));
    request.condition =
        model::Cond::eq(model::path(std::string(kStatusAttribute)),
                        AttributeValue(std::string(domain::kStatusPending))) &&
        model::Cond::eq(model::path(std::string(kAddedOnAttribute)), AttributeValue(line.added_on));
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
    auto current = table_.get(ports::GetRequest{key, true, std::nullopt});
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
    if (s_of(kStatusAttribute) == domain::kStatusOrdered &&
        s_of(kOrderIdAttribute) == order.order_id) {
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
    logger_.warn(context, item ? "cart item changed since the order; left as is"
                               : "cart item gone; nothing to mark",
                 {{"message_id", message_id},
                  {"order_id", order.order_id},
                  {"product_id", line.product_id},
                  {"expected_added_on", line.added_on},
                  {"found_status", s_of(kStatusAttribute)},
                  {"found_added_on", s_of(kAddedOnAttribute)},
                  {"found_order_id", s_of(kOrderIdAttribute)}});
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
