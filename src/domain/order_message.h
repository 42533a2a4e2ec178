// SPDX-License-Identifier: Apache-2.0
#pragma once

// The queue message that announces an order (docs/EVENTS.md), written by process-cart-products
// and read by update-cart-status; this file is its one owner. The body is the order's stored
// item (the stream's NewImage) in DynamoDB JSON, as the reference producer sent it; the String
// message attribute `order_id` carries the order id. Pure, thread-safe.

#include <string>
#include <string_view>

#include "domain/order.h"
#include "model/attribute_value.h"
#include "model/result.h"

namespace cartflow::domain {

inline constexpr std::string_view kOrderMessageAttribute = "order_id";

// The order id of a stored item (an image) that is an order to announce: order_status is S
// "ORDERED" and order_id a non-empty S. Otherwise a view of why not ("not an order", "order
// not in status ORDERED", "order without order_id") with `order_id` untouched.
std::string_view announce_check(const model::Item& image, std::string_view& order_id);

// Appends the message body for an order's image to `out`.
void append_order_message_body(std::string& out, const model::Item& image);

// Reads a message body (an order image in DynamoDB JSON) straight from the text, without
// building an item: the same rules and errors as order_from_item, plus kInvalidArgument for
// text that is not an item in DynamoDB JSON. A whole stream record (the reference consumer's
// format) is not an order image: callers that accept it parse the record (events/) and use
// order_from_item on its NewImage.
model::Result<Order> read_order_message(std::string_view body);

}  // namespace cartflow::domain
