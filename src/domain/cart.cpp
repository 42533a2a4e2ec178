// SPDX-License-Identifier: Apache-2.0
#include "domain/cart.h"

#include <cstdlib>

#include "domain/keys.h"

namespace cartflow::domain {

model::Item to_item(const CartItem& c) {
  model::Item item;
  item[std::string(kPk)] = user_pk(c.user_id);
  item[std::string(kSk)] = cart_item_sk(c.product_id);
  item["userId"] = c.user_id;
  item["productId"] = c.product_id;
  item["quantity"] = model::AttributeValue::integer(c.quantity);
  item["cartProductStatus"] = c.status;
  item["addedOn"] = c.added_on;
  if (c.order_id) item["order_id"] = *c.order_id;
  return item;
}

namespace {
const std::string* string_at(const model::Item& item, std::string_view name) {
  auto it = item.find(name);
  return it == item.end() ? nullptr : it->second.as_s();
}
}  // namespace

std::optional<CartItem> cart_item_from_item(const model::Item& item) {
  const std::string* user = string_at(item, "userId");
  const std::string* product = string_at(item, "productId");
  const std::string* status = string_at(item, "cartProductStatus");
  const std::string* added = string_at(item, "addedOn");
  auto q = item.find("quantity");
  if (user == nullptr || product == nullptr || status == nullptr || added == nullptr ||
      q == item.end() || q->second.as_n() == nullptr) {
    return std::nullopt;
  }
  auto quantity = q->second.as_n()->to_int64();
  if (!quantity.ok()) return std::nullopt;
  CartItem c{*user, *product, *quantity, *status, *added, std::nullopt};
  if (const std::string* order = string_at(item, "order_id")) c.order_id = *order;
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

}  // namespace cartflow::domain
