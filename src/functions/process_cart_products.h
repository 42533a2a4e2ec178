// SPDX-License-Identifier: Apache-2.0
#pragma once

// process-cart-products: the DynamoDB stream consumer. For each INSERT record whose NewImage is
// an order with order_status ORDERED, it sends one queue message: the NewImage in DynamoDB JSON
// (the event's own text of it) as the body, the order id as the String message attribute
// `order_id` (docs/EVENTS.md).
// Messages go out with SendMessageBatch in groups of up to 10, in stream order. When an entry
// or a whole call fails, sending stops and the response names the SequenceNumber of the first
// record not fully sent, so the stream resumes there (records before it are checkpointed;
// records after it that were sent will be sent again: the consumer is idempotent).
// Other records (MODIFY, REMOVE, non-orders, orders in another status, orders without an
// order_id) are ignored with a log line and a count. A document that is not a DynamoDB stream
// event is a function error (kInvalidArgument): Lambda retries the batch.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "functions/handler.h"
#include "functions/logging.h"
#include "model/attribute_value.h"
#include "ports/queue.h"

namespace cartflow::functions {

struct ProcessCartProductsOptions {
  std::size_t send_batch_size = 10;  // entries per SendMessageBatch, 1..10
};

class ProcessCartProducts final : public Handler {
 public:
  // `queue`, `logger` and `metrics` must outlive the handler.
  ProcessCartProducts(ports::Queue& queue, const Logger& logger, Metrics& metrics,
                      ProcessCartProductsOptions options = {});

  std::string_view name() const override { return "process-cart-products"; }
  // Returns {"batchItemFailures": []} or with one entry (the checkpoint). Thread-safe.
  model::Result<std::string> invoke(std::string_view event_json,
                                    const InvocationContext& context) override;

 private:
  ports::Queue& queue_;
  const Logger& logger_;
  Metrics& metrics_;
  ProcessCartProductsOptions options_;
};

// The order id of a NewImage that is an order to announce: order_status is S "ORDERED" and
// order_id is a non-empty S. std::nullopt otherwise.
std::optional<std::string> ordered_order_id(const model::Item& new_image);

// The queue message for an order's NewImage (domain/order_message.h): body in DynamoDB JSON,
// attribute order_id.
ports::SendEntry order_message(std::string entry_id, const model::Item& new_image,
                               std::string_view order_id);
// The same from the NewImage's DynamoDB JSON text as the stream event carried it (validated):
// the body is that text.
ports::SendEntry order_message(std::string entry_id, std::string new_image_json,
                               std::string_view order_id);

// Counter names.
inline constexpr std::string_view kRecordsReceived = "RecordsReceived";
inline constexpr std::string_view kRecordsIgnored = "RecordsIgnored";
inline constexpr std::string_view kOrdersSent = "OrdersSent";
inline constexpr std::string_view kOrderSendFailures = "OrderSendFailures";

}  // namespace cartflow::functions
