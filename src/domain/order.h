// SPDX-License-Identifier: Apache-2.0
#pragma once

// Orders: priced from the catalog (never from the client), made of the user's open cart items.
// Stored as one order item (PK = SK = "ORDER#<orderId>", on index userOrders) and one line item
// per product (SK "LINE#<productId>", on index orderProducts); see domain/keys.h. The order
// item keeps the reference's attributes: user_id, order_id, order_status, order_date,
// order_total, order_items (maps with productId, quantity, price, addedOn, userId, name).
// Pure, thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/cart.h"
#include "domain/requests.h"
#include "domain/validation.h"
#include "model/attribute_value.h"
#include "model/result.h"

namespace cartflow::domain {

struct OrderLine {
  std::string product_id;
  std::string name;
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;
  std::int64_t line_total = 0;
  model::AttributeValue added_on;  // the ordered cart item's incarnation (S, or the reference's N)
};

struct Order {
  std::string order_id;
  std::string user_id;
  std::string status;      // ORDERED, CANCELLED
  std::string order_date;  // ISO-8601 UTC ms (the reference's: a day, "2024-05-01Z")
  std::int64_t total = 0;  // minor units
  std::vector<OrderLine> lines;
};

// Builds the order of `request` from the user's open cart items and the catalog products
// (keyed by productId; stored items). With request.items absent, every open cart item is
// ordered. Fails (FieldError codes): EMPTY_ORDER (nothing to order), TOO_MANY_ITEMS,
// ITEM_NOT_IN_CART (a listed product is not an open cart item), QUANTITY_MISMATCH (a listed
// quantity differs from the cart's), PRODUCT_NOT_FOUND (not in the catalog or without a valid
// price), TOTAL_TOO_LARGE. Does not check request.order_total: see check_order_total.
Validated<Order> build_order(const PlaceOrderRequest& request,
                             const std::vector<CartItem>& open_cart,
                             const std::map<std::string, model::Item, std::less<>>& products,
                             std::string order_id, std::string order_date);

// ORDER_TOTAL_MISMATCH when the client sent an order_total other than the computed one.
std::optional<FieldError> check_order_total(const PlaceOrderRequest& request, const Order& order);

// The stored order item (keys, GSI1 keys, reference attributes).
model::Item order_item(const Order& order);
// The stored line item of `line` (keys, GSI2 keys; no order_status).
model::Item order_line_item(const Order& order, const OrderLine& line);

// Reads a stored order item (or an order's stream image), the inverse of order_item:
// order_id and user_id (non-empty S) and order_items (L of M, each with productId as non-empty
// S, addedOn as non-empty S or as N (the reference's epoch seconds), and quantity as N, or S
// holding a number as the reference consumer's records do; a whole number) are required;
// order_status, order_date, order_total, and each line's price and name are read when present
// (status "" when absent; the line total is computed from price and quantity, 0 without a
// price). Fails with kInvalidArgument naming the attribute.
model::Result<Order> order_from_item(const model::Item& item);

}  // namespace cartflow::domain
