// SPDX-License-Identifier: Apache-2.0
#pragma once

// Cart items: PK "USER#<userId>", SK "PRODUCT#<productId>" (domain/keys.h). A cart item is one
// incarnation of "this user wants this product", identified by its addedOn. It is open while
// PENDING and not claimed by an order (order_id absent). Placing an order claims its cart items
// (sets order_id, conditionally on PENDING and the same addedOn) in the order's transaction; the
// pipeline later sets cartProductStatus = ORDERED. Adding a product again writes a fresh
// PENDING item with a new addedOn, which neither the claim nor the pipeline can touch.
// Cancelling the order releases its claims: the item becomes open again as a fresh incarnation
// (new addedOn), so a late pipeline message of the cancelled order cannot mark it.
// The conditional writes below are the only way handlers change a cart item's state.
//
// addedOn is compared as DynamoDB compares it, type included: ours is an S (ISO-8601 UTC ms,
// see next_added_on); the reference's Python API wrote an N (epoch seconds). An incarnation is
// the stored value, whichever type it has: an N addedOn is read, claimed, marked and released
// as an N (docs/EVENTS.md, "Data the reference wrote").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/attribute_value.h"
#include "model/expression.h"

namespace cartflow::domain {

struct CartItem {
  std::string user_id;
  std::string product_id;
  std::int64_t quantity = 0;
  std::string status;    // cartProductStatus: PENDING or ORDERED
  model::AttributeValue added_on;  // S (ours) or N (the reference's); unique per incarnation
  std::optional<std::string> order_id;
  bool operator==(const CartItem&) const = default;
};

// The stored item, keys included (userId, productId, quantity, cartProductStatus, addedOn,
// order_id when set).
model::Item to_item(const CartItem& cart_item);
// Reads a stored cart item; std::nullopt when an attribute is missing or has the wrong type
// (addedOn must be a non-empty S or an N).
std::optional<CartItem> cart_item_from_item(const model::Item& item);
// Whether `value` is an addedOn this system reads: a non-empty S or an N.
bool is_added_on(const model::AttributeValue& value);
// addedOn as text for logs and messages: the S, or the N's canonical digits.
std::string added_on_text(const model::AttributeValue& added_on);
// PENDING and not claimed by an order.
bool is_open(const CartItem& cart_item);
// The next addedOn for a fresh incarnation: `now` (ISO-8601), or one millisecond-tick later
// than `previous` when the clock has not moved past it, so incarnations never share addedOn.
std::string next_added_on(const std::string& now, const std::optional<std::string>& previous);
// The same for a stored addedOn of either type: an N (the reference's) never equals an S, so
// the next incarnation after it is simply `now`.
std::string next_added_on_after(const std::string& now, const model::AttributeValue& previous);

// The key of the cart item of (user, product).
model::Item cart_item_key(std::string_view user_id, std::string_view product_id);

// The condition of an open cart item (PENDING, unclaimed).
const model::Cond& open_cart_item_condition();

// A conditional update of one cart item (the Table port's UpdateRequest without its options).
struct CartItemUpdate {
  model::Item key;
  model::Update update;
  model::Cond condition;
};

// POST /order: claims the incarnation `added_on` for `order_id`: SET order_id, if the item
// exists, is PENDING with that addedOn and is unclaimed.
CartItemUpdate claim_cart_item(std::string_view user_id, std::string_view product_id,
                               const model::AttributeValue& added_on, std::string_view order_id);

// update-cart-status: SET cartProductStatus = ORDERED, order_id, if the item is PENDING with
// that addedOn and is claimed by `order_id` or unclaimed (orders the reference wrote never
// claim). A released item (its order cancelled) has a new addedOn and fails the condition.
CartItemUpdate mark_cart_item_ordered(std::string_view user_id, std::string_view product_id,
                                      const model::AttributeValue& added_on,
                                      std::string_view order_id);

// mark_cart_item_ordered for the lines of one order: the update and the claim condition depend
// only on the order, so they are built once and shared by the lines' requests (model::Update
// and model::Cond copies share their parts). Immutable once built; line() is thread-safe.
class OrderMarking {
 public:
  explicit OrderMarking(std::string_view order_id);
  // The same request as mark_cart_item_ordered(user_id, product_id, added_on, order_id).
  CartItemUpdate line(std::string_view user_id, std::string_view product_id,
                      const model::AttributeValue& added_on) const;

 private:
  model::Update mark_;
  model::Cond claimed_;  // unclaimed, or claimed by this order
};

// Cancelling `order_id`: SET cartProductStatus = PENDING, addedOn = new_added_on REMOVE
// order_id, if the item is claimed by `order_id` with that addedOn (PENDING or already
// ORDERED by the pipeline). new_added_on: next_added_on_after(now, added_on).
CartItemUpdate release_cart_item(std::string_view user_id, std::string_view product_id,
                                 const model::AttributeValue& added_on,
                                 std::string_view order_id, std::string new_added_on);

// What a failed mark_cart_item_ordered found: the item ORDERED by this very order (a
// redelivery), or anything else (changed since the order, released by a cancel, gone).
bool ordered_by(const std::optional<model::Item>& item, std::string_view order_id);

}  // namespace cartflow::domain
