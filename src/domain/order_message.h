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

// announce_check for an image given as its DynamoDB JSON text, which the caller has validated
// (events::ImageForm::kText does): the same answers, `order_id` set to a copy. It reads only
// the top-level attributes (model::scan_item_scalars), and stops at the answer; text that is
// not an item is "not an order".
std::string_view announce_check(std::string_view image_json, std::string& order_id);

// Appends the message body for an order's image to `out`.
void append_order_message_body(std::string& out, const model::Item& image);
// The message body for an image given as its (validated) DynamoDB JSON text: the text itself,
// in whatever spelling of the item it has (white space, attribute order, number forms, escapes),
// since the body's readers (read_order_message, the reference consumer) read the item, not its
// bytes.
std::string order_message_body(std::string image_json);

// Reads a message body (an order image in DynamoDB JSON) straight from the text, without
// building an item: the same rules and errors as order_from_item, plus kInvalidArgument for
// text that is not an item in DynamoDB JSON. A whole stream record (the reference consumer's
// format) is not an order image: callers that accept it parse the record (events/) and use
// order_from_item on its NewImage.
model::Result<Order> read_order_message(std::string_view body);

}  // namespace cartflow::domain
