// SPDX-License-Identifier: Apache-2.0
#pragma once

// update-cart-status: the SQS consumer. Each message carries one order (docs/EVENTS.md): a bare
// NewImage in DynamoDB JSON (ours and the reference producer's), or a whole stream record whose
// dynamodb.NewImage is the order (what the reference consumer expected). For each order line it
// marks the user's cart item ORDERED:
//   UpdateItem PK=USER#<user_id> SK=PRODUCT#<productId>
//     SET cartProductStatus = "ORDERED", order_id = <order_id>
//     IF cartProductStatus = "PENDING" AND addedOn = <the line's addedOn>
//        AND (order_id = <order_id> OR attribute_not_exists(order_id))
// (domain::mark_cart_item_ordered). When the condition fails the item is read back: ORDERED by
// this order already means a redelivery (success, no second effect); changed (re-added,
// released by the order's cancellation, ordered by another order) or gone means the line is
// skipped with a warning and a count, not a failure: redelivering it could never succeed.
// A message fails (and is listed in batchItemFailures by messageId, so SQS redelivers it and
// eventually moves it to the DLQ) when it is malformed or a table call for one of its lines
// fails with any other error (Throttled, Unavailable, ...). Other messages are unaffected.
// The lines of the whole batch are updated concurrently (bounded by the options).
// A document that is not an SQS event is a function error (kInvalidArgument).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.h"
#include "functions/handler.h"
#include "functions/logging.h"
#include "model/result.h"
#include "ports/table.h"

namespace cartflow::functions {

class Workers;

// Decodes one message body: the order image (domain/order_message.h, read straight from the
// text), or else a whole stream record whose dynamodb.NewImage is the order (the reference
// consumer's format, read through events/ and domain::order_from_item). Fails with
// kInvalidArgument naming the problem: not JSON, not an object, not DynamoDB JSON, a stream
// record without dynamodb.NewImage, a missing or non-S order_id / user_id, order_items missing
// or not a list of maps, a line without productId (S) or addedOn (S), a quantity that is
// neither N nor S holding a whole number.
model::Result<domain::Order> decode_order_message(std::string_view body);

struct UpdateCartStatusOptions {
  // Table calls of one invocation in flight at once (the caller's thread plus helpers);
  // 1 runs them one after another on the caller's thread.
  std::size_t max_concurrency = 4;
};

class UpdateCartStatus final : public Handler {
 public:
  // `table`, `logger` and `metrics` must outlive the handler. Starts max_concurrency - 1
  // helper threads, joined by the destructor.
  UpdateCartStatus(ports::Table& table, const Logger& logger, Metrics& metrics,
                   UpdateCartStatusOptions options = {});
  ~UpdateCartStatus() override;

  std::string_view name() const override { return "update-cart-status"; }
  // Returns {"batchItemFailures": [{"itemIdentifier": "<messageId>"}, ...]} listing exactly the
  // failed messages, in event order. Thread-safe.
  model::Result<std::string> invoke(std::string_view event_json,
                                    const InvocationContext& context) override;

 private:
  ports::Table& table_;
  const Logger& logger_;
  Metrics& metrics_;
  std::unique_ptr<Workers> workers_;
};

// Counter names.
inline constexpr std::string_view kMessagesReceived = "MessagesReceived";
inline constexpr std::string_view kMessagesFailed = "MessagesFailed";
inline constexpr std::string_view kMessagesMalformed = "MessagesMalformed";
inline constexpr std::string_view kMessagesIgnored = "MessagesIgnored";  // status not ORDERED
inline constexpr std::string_view kCartItemsOrdered = "CartItemsOrdered";
inline constexpr std::string_view kCartItemsAlreadyOrdered = "CartItemsAlreadyOrdered";
inline constexpr std::string_view kCartItemsSkipped = "CartItemsSkipped";
inline constexpr std::string_view kTableErrors = "TableErrors";

}  // namespace cartflow::functions
