// SPDX-License-Identifier: Apache-2.0
#pragma once

// Request bodies of the API, parsed from plain JSON (already turned into an Item) and checked.
// Unknown fields are ignored (the reference's clients send whole cart items as order_items).
// Pure, thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/validation.h"
#include "model/attribute_value.h"

namespace cartflow::domain {

// POST /cart/{user_id}: {"product_id": "...", "quantity": N}.
struct AddToCartRequest {
  std::string product_id;
  std::int64_t quantity = 0;
};
Validated<AddToCartRequest> parse_add_to_cart(const model::Item& body);

// One element of order_items: a product id string, or an object with "productId" (or
// "product_id") and an optional "quantity" that must then equal the cart's.
struct OrderRequestLine {
  std::string product_id;
  std::optional<std::int64_t> quantity;
};
// POST /order: {"user_id", "order_total"?, "order_items"?}. Absent order_items: the user's
// whole open cart. Absent (or null) order_total: not checked.
struct PlaceOrderRequest {
  std::string user_id;
  std::optional<std::int64_t> order_total;
  std::optional<std::vector<OrderRequestLine>> items;
};
// Fails with MISSING_FIELD / INVALID_FIELD, EMPTY_ORDER for an empty order_items,
// TOO_MANY_ITEMS beyond kMaxOrderLines, DUPLICATE_ITEM for a product listed twice.
Validated<PlaceOrderRequest> parse_place_order(const model::Item& body);

}  // namespace cartflow::domain
