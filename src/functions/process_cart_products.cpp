// SPDX-License-Identifier: Apache-2.0
#include "functions/process_cart_products.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "domain/keys.h"
#include "domain/order_message.h"
#include "events/batch_response.h"
#include "events/dynamodb_stream.h"
#include "model/dynamo_json.h"

namespace cartflow::functions {
namespace {

// Why a record is not announced (empty when it is an order to send), and its order id. The
// record's images are in text form (events::ImageForm::kText).
std::string_view ignore_reason(const events::DynamoDbStreamRecord& record,
                               std::string& order_id) {
  if (record.event_name != "INSERT") return "not an INSERT";
  if (!record.dynamodb.new_image_text) return "no NewImage";
  return domain::announce_check(*record.dynamodb.new_image_text, order_id);
}

// The message for a body: the entry id, the body, the message attribute order_id.
ports::SendEntry message_with_body(std::string entry_id, std::string body,
                                   std::string_view order_id) {
  ports::SendEntry entry;
  entry.id = std::move(entry_id);
  entry.body = std::move(body);
  ports::MessageAttribute attribute;
  attribute.data_type = "String";
  attribute.string_value = std::string(order_id);
  entry.attributes.emplace(std::string(domain::kOrderMessageAttribute), std::move(attribute));
  return entry;
}

}  // namespace

std::optional<std::string> ordered_order_id(const model::Item& new_image) {
  std::string_view order_id;
  if (!domain::announce_check(new_image, order_id).empty()) return std::nullopt;
  return std::string(order_id);
}

ports::SendEntry order_message(std::string entry_id, const model::Item& new_image,
                               std::string_view order_id) {
  std::string body;
  domain::append_order_message_body(body, new_image);
  return message_with_body(std::move(entry_id), std::move(body), order_id);
}

ports::SendEntry order_message(std::string entry_id, std::string new_image_json,
                               std::string_view order_id) {
  return message_with_body(std::move(entry_id),
                           domain::order_message_body(std::move(new_image_json)), order_id);
}

ProcessCartProducts::ProcessCartProducts(ports::Queue& queue, const Logger& logger,
                                         Metrics& metrics, ProcessCartProductsOptions options)
    : queue_(queue), logger_(logger), metrics_(metrics), options_(options) {
  options_.send_batch_size = std::clamp<std::size_t>(options_.send_batch_size, 1, 10);
}

model::Result<std::string> ProcessCartProducts::invoke(std::string_view event_json,
                                                       const InvocationContext& context) {
  // The images stay text: the NewImage is forwarded as it came, not decoded and written again.
  auto parsed = events::parse_dynamodb_stream_event(event_json, events::ImageForm::kText);
  if (!parsed.ok()) {
    logger_.error(context, "not a DynamoDB stream event",
                  {{"error", parsed.error().message}});
    return std::move(parsed).error();
  }
  auto& records = parsed->records;  // each announced NewImage's text moves into its message
  Counts counts;
  counts[std::string(kRecordsReceived)] += static_cast<std::int64_t>(records.size());

  // The records to announce, in stream order: (record index, entry).
  std::vector<std::pair<std::size_t, ports::SendEntry>> outgoing;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& record = records[i];
    std::string order_id;
    if (auto reason = ignore_reason(record, order_id); !reason.empty()) {
      ++counts[std::string(kRecordsIgnored)];
      logger_.debug(context, "stream record ignored",
                    {{"reason", reason},
                     {"event_id", record.event_id},
                     {"sequence_number", record.dynamodb.sequence_number}});
      continue;
    }
    outgoing.emplace_back(
        i, order_message("r" + std::to_string(i), std::move(*record.dynamodb.new_image_text),
                         order_id));
  }

  std::optional<std::size_t> checkpoint;  // index of the first record not fully sent
  for (std::size_t start = 0; start < outgoing.size() && !checkpoint;
       start += options_.send_batch_size) {
    const std::size_t end = std::min(outgoing.size(), start + options_.send_batch_size);
    std::vector<ports::SendEntry> entries;
    entries.reserve(end - start);
    for (std::size_t k = start; k < end; ++k) entries.push_back(std::move(outgoing[k].second));
    auto sent = queue_.send_batch(entries);
    if (!sent.ok()) {
      checkpoint = outgoing[start].first;
      counts[std::string(kOrderSendFailures)] += static_cast<std::int64_t>(end - start);
      logger_.error(context, "SendMessageBatch failed",
                    {{"error_code", model::error_code_name(sent.error().code)},
                     {"error", sent.error().message},
                     {"entries", end - start}});
      break;
    }
    for (std::size_t k = start; k < end; ++k) {
      const auto& entry = entries[k - start];
      bool ok = std::any_of(sent->successful.begin(), sent->successful.end(),
                            [&](const auto& success) { return success.id == entry.id; });
      if (ok) {
        ++counts[std::string(kOrdersSent)];
        continue;
      }
      ++counts[std::string(kOrderSendFailures)];
      std::string_view code = "Missing";
      for (const auto& failure : sent->failed) {
        if (failure.id == entry.id) code = failure.code;
      }
      logger_.error(context, "order message not sent",
                    {{"order_id", entry.attributes.at(std::string(domain::kOrderMessageAttribute)).string_value},
                     {"sequence_number", records[outgoing[k].first].dynamodb.sequence_number},
                     {"error_code", code}});
      if (!checkpoint) checkpoint = outgoing[k].first;
    }
  }

  events::BatchResponse response;
  if (checkpoint) {
    response.batch_item_failures.push_back({records[*checkpoint].dynamodb.sequence_number});
  }
  logger_.info(context, "stream batch processed",
               {{"records", records.size()},
                {"orders_sent", counts[std::string(kOrdersSent)]},
                {"checkpoint", checkpoint ? std::string_view(records[*checkpoint]
                                                                 .dynamodb.sequence_number)
                                          : std::string_view()}});
  flush_counts(logger_, metrics_, counts);
  return events::to_json(response);
}

}  // namespace cartflow::functions
