// SPDX-License-Identifier: Apache-2.0
#include "domain/product.h"

#include "domain/keys.h"
#include "domain/money.h"

namespace cartflow::domain {

Validated<model::Item> product_item(const model::Item& product, std::string_view field) {
  std::string prefix = field.empty() ? std::string() : std::string(field) + ".";
  auto id = required_id(product, "productId");
  if (auto* e = std::get_if<FieldError>(&id)) {
    e->field = prefix + e->field;
    e->message = prefix + e->message;
    return *e;
  }
  auto name = product.find("name");
  if (name == product.end() || name->second.as_s() == nullptr || name->second.as_s()->empty()) {
    return FieldError{"INVALID_FIELD", prefix + "name", prefix + "name must be a non-empty string"};
  }
  auto price = product.find("price");
  if (price == product.end()) {
    return FieldError{"MISSING_FIELD", prefix + "price", prefix + "price is required"};
  }
  auto checked = integer_in_range(price->second, prefix + "price", 0, kMaxMoney);
  if (auto* e = std::get_if<FieldError>(&checked)) return *e;
  auto category = product.find("category");
  if (category != product.end() && category->second.as_s() == nullptr) {
    return FieldError{"INVALID_FIELD", prefix + "category", prefix + "category must be a string"};
  }
  model::Item item = public_view(product);
  const std::string& product_id = std::get<std::string>(id);
  item[std::string(kPk)] = std::string(kProductPartition);
  item[std::string(kSk)] = product_sk(product_id);
  return item;
}

std::optional<std::int64_t> product_price(const model::Item& item) {
  auto it = item.find("price");
  if (it == item.end()) return std::nullopt;
  const model::Number* n = it->second.as_n();
  if (n == nullptr || !n->is_integer()) return std::nullopt;
  auto v = n->to_int64();
  if (!v.ok() || *v < 0 || *v > kMaxMoney) return std::nullopt;
  return *v;
}

model::Item public_view(model::Item item) {
  for (std::string_view key : kKeyAttributes) {
    auto it = item.find(key);
    if (it != item.end()) item.erase(it);
  }
  return item;
}

}  // namespace cartflow::domain
