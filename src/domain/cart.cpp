// SPDX-License-Identifier: Apache-2.0
#include "domain/cart.h"

#include <cstdlib>

#include "domain/keys.h"

namespace cartflow::domain {

model::Item to_item(const CartItem& c) {
  model::Item item;
  item[std::string(kPk)] = user_pk(c.user_id);
  item[std::string(kSk)] = cart_item_sk(c.product_id);
  item[std::string(kAttrUserId)] = c.user_id;
  item[std::string(kAttrProductId)] = c.product_id;
  item[std::string(kAttrQuantity)] = model::AttributeValue::integer(c.quantity);
  item[std::string(kAttrCartProductStatus)] = c.status;
  item[std::string(kAttrAddedOn)] = c.added_on;
  if (c.order_id) item[std::string(kAttrOrderId)] = *c.order_id;
  return item;
}

namespace {
const std::string* string_at(const model::Item& item, std::string_view name) {
  auto it = item.find(name);
  return it == item.end() ? nullptr : it->second.as_s();
}
}  // namespace

bool is_added_on(const model::AttributeValue& value) {
  const std::string* s = value.as_s();
  return s != nullptr ? !s->empty() : value.is_n();
}

std::string added_on_text(const model::AttributeValue& added_on) {
  if (const std::string* s = added_on.as_s()) return *s;
  if (const model::Number* n = added_on.as_n()) return n->to_string();
  return {};
}

std::optional<CartItem> cart_item_from_item(const model::Item& item) {
  const std::string* user = string_at(item, kAttrUserId);
  const std::string* product = string_at(item, kAttrProductId);
  const std::string* status = string_at(item, kAttrCartProductStatus);
  auto added = item.find(kAttrAddedOn);
  auto q = item.find(kAttrQuantity);
  if (user == nullptr || product == nullptr || status == nullptr || added == item.end() ||
      !is_added_on(added->second) || q == item.end() || q->second.as_n() == nullptr) {
    return std::nullopt;
  }
  auto quantity = q->second.as_n()->to_int64();
  if (!quantity.ok()) return std::nullopt;
  CartItem c{*user, *product, *quantity, *status, added->second, std::nullopt};
  if (const std::string* order = string_at(item, kAttrOrderId)) c.order_id = *order;
  return c;
}

bool is_open(const CartItem& c) { return c.status == kStatusPending && !c.order_id; }

std::string next_added_on(const std::string& now, const std::optional<std::string>& previous) {
  if (!previous || now > *previous) return now;
  // The clock did not move past the previous incarnation (same millisecond, or a clock step
  // back): append a counter suffix that sorts after it ("...123Z" < "...123Z#1" < "...123Z#2").
  std::string base = *previous;
  std::size_t hash = base.find('#');
  long counter = 1;
  if (hash != std::string::npos) {
    counter = std::strtol(base.c_str() + hash + 1, nullptr, 10) + 1;
    base.resize(hash);
  }
  return base + "#" + std::to_string(counter);
}

std::string next_added_on_after(const std::string& now, const model::AttributeValue& previous) {
  const std::string* s = previous.as_s();
  return next_added_on(now, s != nullptr ? std::optional<std::string>(*s) : std::nullopt);
}

namespace {

model::Path attr(std::string_view name) { return model::path(std::string(name)); }

// The parts of the conditions that do not vary, built once (conditions share their nodes).
struct Conditions {
  model::Path status = attr(kAttrCartProductStatus);
  model::Path order_id = attr(kAttrOrderId);
  model::Path added_on = attr(kAttrAddedOn);
  model::Cond exists = model::Cond::exists(attr(kPk));
  model::Cond pending =
      model::Cond::eq(attr(kAttrCartProductStatus), std::string(kStatusPending));
  model::Cond unclaimed = model::Cond::not_exists(attr(kAttrOrderId));
  model::Cond open = pending && unclaimed;
};

const Conditions& conditions() {
  static const Conditions c;
  return c;
}

}  // namespace

model::Item cart_item_key(std::string_view user_id, std::string_view product_id) {
  return model::Item{{std::string(kPk), user_pk(user_id)},
                     {std::string(kSk), cart_item_sk(product_id)}};
}

const model::Cond& open_cart_item_condition() { return conditions().open; }

CartItemUpdate claim_cart_item(std::string_view user_id, std::string_view product_id,
                               const model::AttributeValue& added_on, std::string_view order_id) {
  const Conditions& c = conditions();
  model::Update claim;
  claim.set(attr(kAttrOrderId), std::string(order_id));
  return {cart_item_key(user_id, product_id), std::move(claim),
          c.exists && c.pending && model::Cond::eq(c.added_on, added_on) && c.unclaimed};
}

CartItemUpdate mark_cart_item_ordered(std::string_view user_id, std::string_view product_id,
                                      const model::AttributeValue& added_on,
                                      std::string_view order_id) {
  return OrderMarking(order_id).line(user_id, product_id, added_on);
}

OrderMarking::OrderMarking(std::string_view order_id)
    : claimed_(conditions().unclaimed ||
               model::Cond::eq(conditions().order_id, std::string(order_id))) {
  mark_.set(conditions().status, std::string(kStatusOrdered));
  mark_.set(conditions().order_id, std::string(order_id));
}

CartItemUpdate OrderMarking::line(std::string_view user_id, std::string_view product_id,
                                  const model::AttributeValue& added_on) const {
  const Conditions& c = conditions();
  return {cart_item_key(user_id, product_id), mark_,
          c.pending && model::Cond::eq(c.added_on, added_on) && claimed_};
}

CartItemUpdate release_cart_item(std::string_view user_id, std::string_view product_id,
                                 const model::AttributeValue& added_on,
                                 std::string_view order_id, std::string new_added_on) {
  model::Update release;
  release.set(attr(kAttrCartProductStatus), std::string(kStatusPending));
  release.set(attr(kAttrAddedOn), std::move(new_added_on));
  release.remove(attr(kAttrOrderId));
  return {cart_item_key(user_id, product_id), std::move(release),
          model::Cond::eq(attr(kAttrOrderId), std::string(order_id)) &&
              model::Cond::eq(attr(kAttrAddedOn), added_on)};
}

bool ordered_by(const std::optional<model::Item>& item, std::string_view order_id) {
  if (!item) return false;
  const std::string* status = string_at(*item, kAttrCartProductStatus);
  const std::string* order = string_at(*item, kAttrOrderId);
  return status != nullptr && *status == kStatusOrdered && order != nullptr && *order == order_id;
}

}  // namespace cartflow::domain
