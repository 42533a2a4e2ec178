// SPDX-License-Identifier: Apache-2.0
#pragma once

// The single-table key design (docs/DATA_MODEL.md). Attribute names and status values are the
// reference's, because the stream filter and the reference's clients depend on them.

#include <array>
#include <string>
#include <string_view>

namespace cartflow::domain {

inline constexpr std::string_view kPk = "PK";
inline constexpr std::string_view kSk = "SK";
inline constexpr std::string_view kGsi1Pk = "GSI1PK";  // index userOrders
inline constexpr std::string_view kGsi1Sk = "GSI1SK";
inline constexpr std::string_view kGsi2Pk = "GSI2PK";  // index orderProducts
inline constexpr std::string_view kGsi2Sk = "GSI2SK";
// The key attributes above, which no answer shows a client.
inline constexpr std::array<std::string_view, 6> kKeyAttributes = {kPk,     kSk,     kGsi1Pk,
                                                                   kGsi1Sk, kGsi2Pk, kGsi2Sk};
inline constexpr std::string_view kUserOrdersIndex = "userOrders";
inline constexpr std::string_view kOrderProductsIndex = "orderProducts";

// Product: PK "PRODUCT", SK "PRODUCT#<productId>" (the catalog is small and read together).
inline constexpr std::string_view kProductPartition = "PRODUCT";
inline std::string product_sk(std::string_view product_id) {
  return "PRODUCT#" + std::string(product_id);
}

// Cart item: PK "USER#<userId>", SK "PRODUCT#<productId>"; attributes userId, productId,
// quantity (N), cartProductStatus ("PENDING" then "ORDERED"), addedOn (ISO-8601 UTC with ms,
// unique per add: it identifies this incarnation of the cart item; an N of epoch seconds in
// items the reference's API wrote), order_id once ordered.
inline std::string user_pk(std::string_view user_id) { return "USER#" + std::string(user_id); }
inline std::string cart_item_sk(std::string_view product_id) { return product_sk(product_id); }

// Order: PK "ORDER#<orderId>", SK "ORDER#<orderId>" (one partition per order: no hot key);
// GSI1PK "USER#<userId>", GSI1SK "ORDER#<order_date>#<orderId>" (a user's orders, newest
// last). Attributes: user_id, order_id, order_status, order_date, order_total (N, minor units),
// order_items (L of M: productId, quantity, price, addedOn, ...).
inline std::string order_pk(std::string_view order_id) { return "ORDER#" + std::string(order_id); }

// An order the reference workshop's API wrote: PK "ORDER" (every order in one partition:
// reference defect 4), SK "ORDER#<orderId>", GSI1SK "ORDER#<orderId>" (no date: such orders
// sort by id among a user's orders), order_date a day ("2024-05-01Z"). cartflow reads these
// (GET /orders/{order_id}, the user's listing, update-cart-status) and never writes them.
inline constexpr std::string_view kReferenceOrderPartition = "ORDER";

// A user's orders on index userOrders: GSI1SK "ORDER#<order_date>#<orderId>" sorts by date.
inline constexpr std::string_view kOrderPrefix = "ORDER#";
inline std::string user_order_gsi_sk(std::string_view order_date, std::string_view order_id) {
  return "ORDER#" + std::string(order_date) + "#" + std::string(order_id);
}

// Order line: PK "ORDER#<orderId>", SK "LINE#<productId>"; GSI2PK "PRODUCT#<productId>",
// GSI2SK "ORDER#<order_date>#<orderId>" (index orderProducts: the orders of a product).
// Attributes: order_id, user_id, productId, quantity, price, line_total, addedOn, order_date.
// Lines never carry order_status, so the stream filter (order_status = ORDERED) passes only
// the order item itself.
inline constexpr std::string_view kLinePrefix = "LINE#";
inline std::string order_line_sk(std::string_view product_id) {
  return "LINE#" + std::string(product_id);
}
inline std::string product_gsi_pk(std::string_view product_id) { return product_sk(product_id); }

// Idempotency record: PK = SK = "IDEMPOTENCY#<key>"; attributes request_hash (hex SHA-256 of
// method, path and body), status_code (N), response_body (S), expires_at (N, Unix seconds; a
// DynamoDB TTL attribute), created_at. An expired record counts as absent.
inline std::string idempotency_pk(std::string_view key) {
  return "IDEMPOTENCY#" + std::string(key);
}

// Attribute names of the stored items (the reference's spelling, mixed as it is: cart items
// use camelCase, orders snake_case). Every reader and writer of the table uses these.
inline constexpr std::string_view kAttrUserId = "userId";        // cart item
inline constexpr std::string_view kAttrProductId = "productId";  // cart item, order line, product
inline constexpr std::string_view kAttrQuantity = "quantity";
inline constexpr std::string_view kAttrCartProductStatus = "cartProductStatus";
inline constexpr std::string_view kAttrAddedOn = "addedOn";
inline constexpr std::string_view kAttrOrderId = "order_id";  // order, order line, claimed cart item
inline constexpr std::string_view kAttrOrderUserId = "user_id";  // order, order line
inline constexpr std::string_view kAttrOrderStatus = "order_status";
inline constexpr std::string_view kAttrOrderDate = "order_date";
inline constexpr std::string_view kAttrOrderTotal = "order_total";
inline constexpr std::string_view kAttrOrderItems = "order_items";
inline constexpr std::string_view kAttrCancelledAt = "cancelled_at";
inline constexpr std::string_view kAttrPrice = "price";
inline constexpr std::string_view kAttrName = "name";
inline constexpr std::string_view kAttrLineTotal = "line_total";

inline constexpr std::string_view kStatusPending = "PENDING";
inline constexpr std::string_view kStatusOrdered = "ORDERED";
inline constexpr std::string_view kStatusCancelled = "CANCELLED";

}  // namespace cartflow::domain
