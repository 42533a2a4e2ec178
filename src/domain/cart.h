// SPDX-License-Identifier: Apache-2.0
#pragma once

// Cart items: PK "USER#<userId>", SK "PRODUCT#<productId>" (domain/keys.h). A cart item is one
// incarnation of "this user wants this product", identified by its addedOn. It is open while
// PENDING and not claimed by an order (order_id absent). Placing an order claims its cart items
// (sets order_id, conditionally on PENDING and the same addedOn) in the order's transaction; the
// pipeline later sets cartProductStatus = ORDERED. Adding a product again writes a fresh
// PENDING item with a new addedOn, which neither the claim nor the pipeline can touch.

#include <cstdint>
#include <optional>
#include <string>

#include "model/attribute_value.h"

namespace cartflow::domain {

struct CartItem {
  std::string user_id;
  std::string product_id;
  std::int64_t quantity = 0;
  std::string status;    // cartProductStatus: PENDING or ORDERED
  std::string added_on;  // ISO-8601 UTC ms; unique per incarnation of this (user, product)
  std::optional<std::string> order_id;
  bool operator==(const CartItem&) const = default;
};

// The stored item, keys included (userId, productId, quantity, cartProductStatus, addedOn,
// order_id when set).
model::Item to_item(const CartItem& cart_item);
// Reads a stored cart item; std::nullopt when an attribute is missing or has the wrong type.
std::optional<CartItem> cart_item_from_item(const model::Item& item);
// PENDING and not claimed by an order.
bool is_open(const CartItem& cart_item);
// The next addedOn for a fresh incarnation: `now` (ISO-8601), or one millisecond-tick later
// than `previous` when the clock has not moved past it, so incarnations never share addedOn.
std::string next_added_on(const std::string& now, const std::optional<std::string>& previous);

}  // namespace cartflow::domain
