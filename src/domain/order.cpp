// SPDX-License-Identifier: Apache-2.0
#include "domain/order.h"

#include "domain/keys.h"
#include "domain/money.h"
#include "domain/product.h"

namespace cartflow::domain {

Validated<Order> build_order(const PlaceOrderRequest& request,
                             const std::vector<CartItem>& open_cart,
                             const std::map<std::string, model::Item, std::less<>>& products,
                             std::string order_id, std::string order_date) {
  std::map<std::string, const CartItem*, std::less<>> cart;
  for (const CartItem& c : open_cart) {
    if (c.user_id == request.user_id && is_open(c)) cart[c.product_id] = &c;
  }
  // (field path, cart item) of each product to order, in request order or cart order.
  std::vector<std::pair<std::string, const CartItem*>> chosen;
  if (request.items) {
    for (std::size_t i = 0; i < request.items->size(); ++i) {
      const OrderRequestLine& line = (*request.items)[i];
      std::string at = "order_items[" + std::to_string(i) + "]";
      auto it = cart.find(line.product_id);
      if (it == cart.end()) {
        return FieldError{"ITEM_NOT_IN_CART", at,
                          at + ": product " + line.product_id + " is not a pending item of " +
                              request.user_id + "'s cart"};
      }
      if (line.quantity && *line.quantity != it->second->quantity) {
        return FieldError{"QUANTITY_MISMATCH", at + ".quantity",
                          at + ".quantity is " + std::to_string(*line.quantity) +
                              " but the cart holds " + std::to_string(it->second->quantity)};
      }
      chosen.emplace_back(at, it->second);
    }
  } else {
    for (const auto& [id, c] : cart) chosen.emplace_back("order_items", c);
  }
  if (chosen.empty()) {
    return FieldError{"EMPTY_ORDER", "order_items",
                      "order_items: nothing to order, the cart of " + request.user_id +
                          " has no pending items"};
  }
  if (chosen.size() > kMaxOrderLines) {
    return FieldError{"TOO_MANY_ITEMS", "order_items",
                      "an order holds at most " + std::to_string(kMaxOrderLines) + " products"};
  }
  Order order{std::move(order_id), request.user_id, std::string(kStatusOrdered),
              std::move(order_date), 0, {}};
  for (const auto& [at, c] : chosen) {
    auto p = products.find(c->product_id);
    std::optional<std::int64_t> price;
    if (p != products.end()) price = product_price(p->second);
    if (!price) {
      return FieldError{"PRODUCT_NOT_FOUND", at,
                        at + ": product " + c->product_id + " is not in the catalog"};
    }
    auto line_sum = line_total(*price, c->quantity);
    auto total = line_sum ? add_money(order.total, *line_sum) : std::nullopt;
    if (!total) {
      return FieldError{"TOTAL_TOO_LARGE", "order_items", "the order total is too large"};
    }
    order.total = *total;
    std::string name;
    auto n = p->second.find(kAttrName);
    if (n != p->second.end() && n->second.as_s() != nullptr) name = *n->second.as_s();
    order.lines.push_back(
        OrderLine{c->product_id, std::move(name), c->quantity, *price, *line_sum, c->added_on});
  }
  return order;
}

std::optional<FieldError> check_order_total(const PlaceOrderRequest& request, const Order& order) {
  if (!request.order_total || *request.order_total == order.total) return std::nullopt;
  return FieldError{"ORDER_TOTAL_MISMATCH", "order_total",
                    "order_total is " + std::to_string(*request.order_total) +
                        " but the items cost " + std::to_string(order.total)};
}

model::Item order_item(const Order& order) {
  model::Item item;
  item[std::string(kPk)] = order_pk(order.order_id);
  item[std::string(kSk)] = order_pk(order.order_id);
  item[std::string(kGsi1Pk)] = user_pk(order.user_id);
  item[std::string(kGsi1Sk)] = user_order_gsi_sk(order.order_date, order.order_id);
  item[std::string(kAttrOrderId)] = order.order_id;
  item[std::string(kAttrOrderUserId)] = order.user_id;
  item[std::string(kAttrOrderStatus)] = order.status;
  item[std::string(kAttrOrderDate)] = order.order_date;
  item[std::string(kAttrOrderTotal)] = model::AttributeValue::integer(order.total);
  model::List lines;
  for (const OrderLine& l : order.lines) {
    model::Map m;
    m[std::string(kAttrProductId)] = l.product_id;
    m[std::string(kAttrUserId)] = order.user_id;
    m[std::string(kAttrQuantity)] = model::AttributeValue::integer(l.quantity);
    m[std::string(kAttrPrice)] = model::AttributeValue::integer(l.unit_price);
    m[std::string(kAttrAddedOn)] = l.added_on;
    if (!l.name.empty()) m[std::string(kAttrName)] = l.name;
    lines.emplace_back(std::move(m));
  }
  item[std::string(kAttrOrderItems)] = std::move(lines);
  return item;
}

model::Item order_line_item(const Order& order, const OrderLine& line) {
  model::Item item;
  item[std::string(kPk)] = order_pk(order.order_id);
  item[std::string(kSk)] = order_line_sk(line.product_id);
  item[std::string(kGsi2Pk)] = product_gsi_pk(line.product_id);
  item[std::string(kGsi2Sk)] = user_order_gsi_sk(order.order_date, order.order_id);
  item[std::string(kAttrOrderId)] = order.order_id;
  item[std::string(kAttrOrderUserId)] = order.user_id;
  item[std::string(kAttrProductId)] = line.product_id;
  item[std::string(kAttrQuantity)] = model::AttributeValue::integer(line.quantity);
  item[std::string(kAttrPrice)] = model::AttributeValue::integer(line.unit_price);
  item[std::string(kAttrLineTotal)] = model::AttributeValue::integer(line.line_total);
  item[std::string(kAttrAddedOn)] = line.added_on;
  item[std::string(kAttrOrderDate)] = order.order_date;
  if (!line.name.empty()) item[std::string(kAttrName)] = line.name;
  return item;
}

}  // namespace cartflow::domain
