// SPDX-License-Identifier: Apache-2.0
#include "domain/requests.h"

#include <set>

#include "domain/money.h"

namespace cartflow::domain {

namespace {

bool is_absent(const model::Item& body, std::string_view field) {
  auto it = body.find(field);
  return it == body.end() || it->second.type() == model::AttributeType::kNull;
}

Validated<OrderRequestLine> parse_line(const model::AttributeValue& value, const std::string& at) {
  if (const std::string* s = value.as_s()) {
    if (!is_valid_id(*s)) {
      return FieldError{"INVALID_FIELD", at, at + " must be a product id matching [A-Za-z0-9_-]{1,64}"};
    }
    return OrderRequestLine{*s, std::nullopt};
  }
  const model::Map* m = value.as_m();
  if (m == nullptr) {
    return FieldError{"INVALID_FIELD", at, at + " must be an object with productId, or a product id"};
  }
  std::string_view key = m->count("productId") != 0 ? "productId" : "product_id";
  auto id = required_id(*m, key);
  if (auto* e = std::get_if<FieldError>(&id)) {
    if (e->code == "MISSING_FIELD") {
      return FieldError{"MISSING_FIELD", at + ".productId", at + ".productId is required"};
    }
    return FieldError{e->code, at + "." + e->field, at + "." + e->message};
  }
  OrderRequestLine line{std::get<std::string>(id), std::nullopt};
  auto q = m->find("quantity");
  if (q != m->end() && q->second.type() != model::AttributeType::kNull) {
    auto checked = quantity(q->second, at + ".quantity");
    if (auto* e = std::get_if<FieldError>(&checked)) return *e;
    line.quantity = std::get<std::int64_t>(checked);
  }
  return line;
}

}  // namespace

Validated<AddToCartRequest> parse_add_to_cart(const model::Item& body) {
  auto id = required_id(body, "product_id");
  if (auto* e = std::get_if<FieldError>(&id)) return *e;
  auto q = body.find("quantity");
  if (q == body.end() || q->second.type() == model::AttributeType::kNull) {
    return FieldError{"MISSING_FIELD", "quantity", "quantity is required"};
  }
  auto checked = quantity(q->second, "quantity");
  if (auto* e = std::get_if<FieldError>(&checked)) return *e;
  return AddToCartRequest{std::get<std::string>(id), std::get<std::int64_t>(checked)};
}

Validated<PlaceOrderRequest> parse_place_order(const model::Item& body) {
  PlaceOrderRequest request;
  auto user = required_id(body, "user_id");
  if (auto* e = std::get_if<FieldError>(&user)) return *e;
  request.user_id = std::get<std::string>(user);

  if (!is_absent(body, "order_total")) {
    auto total = integer_in_range(body.find("order_total")->second, "order_total", 0, kMaxMoney);
    if (auto* e = std::get_if<FieldError>(&total)) return *e;
    request.order_total = std::get<std::int64_t>(total);
  }
  if (!is_absent(body, "order_items")) {
    const model::List* list = body.find("order_items")->second.as_l();
    if (list == nullptr) {
      return FieldError{"INVALID_FIELD", "order_items", "order_items must be an array"};
    }
    if (list->empty()) {
      return FieldError{"EMPTY_ORDER", "order_items", "order_items must not be empty"};
    }
    if (list->size() > kMaxOrderLines) {
      return FieldError{"TOO_MANY_ITEMS", "order_items",
                        "order_items may hold at most " + std::to_string(kMaxOrderLines) +
                            " products"};
    }
    std::vector<OrderRequestLine> lines;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string at = "order_items[" + std::to_string(i) + "]";
      auto line = parse_line((*list)[i], at);
      if (auto* e = std::get_if<FieldError>(&line)) return *e;
      auto& l = std::get<OrderRequestLine>(line);
      if (!seen.insert(l.product_id).second) {
        return FieldError{"DUPLICATE_ITEM", at, at + " lists product " + l.product_id + " twice"};
      }
      lines.push_back(std::move(l));
    }
    request.items = std::move(lines);
  }
  return request;
}

}  // namespace cartflow::domain
