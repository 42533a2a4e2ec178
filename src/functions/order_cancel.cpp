// SPDX-License-Identifier: Apache-2.0
#include "functions/order_cancel.h"

#include <utility>
#include <vector>

#include "domain/cart.h"
#include "domain/keys.h"
#include "domain/order.h"
#include "domain/time.h"
#include "model/expression.h"

namespace cartflow::functions {
namespace {

model::Item order_key(std::string_view order_id) {
  return model::Item{{std::string(domain::kPk), domain::order_pk(order_id)},
                     {std::string(domain::kSk), domain::order_pk(order_id)}};
}

model::Path attr(std::string_view name) { return model::path(std::string(name)); }

const std::string* string_at(const model::Item& item, std::string_view name) {
  auto it = item.find(name);
  return it == item.end() ? nullptr : it->second.as_s();
}

}  // namespace

model::Result<CancelOutcome> cancel_order(ports::Table& table, std::string_view order_id,
                                          std::int64_t now_ms) {
  const std::string now = domain::iso8601_ms(now_ms);
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto stored = table.get(ports::GetRequest{order_key(order_id), true, std::nullopt});
    if (!stored.ok()) return std::move(stored).error();
    if (!*stored) return CancelOutcome{CancelOutcome::Kind::kNotFound, {}, {}};
    model::Item order_item = std::move(**stored);
    const std::string* status = string_at(order_item, domain::kAttrOrderStatus);
    if (status == nullptr || *status != domain::kStatusOrdered) {
      return CancelOutcome{CancelOutcome::Kind::kNotCancellable, {},
                           status != nullptr ? *status : std::string("unknown")};
    }
    auto order = domain::order_from_item(order_item);
    if (!order.ok()) {
      return model::Error::internal("stored order " + std::string(order_id) +
                                    " is unreadable: " + order.error().message);
    }

    std::vector<ports::TransactAction> actions;
    model::Update cancel;
    cancel.set(attr(domain::kAttrOrderStatus), std::string(domain::kStatusCancelled));
    cancel.set(attr(domain::kAttrCancelledAt), now);
    actions.push_back(ports::TransactAction{ports::UpdateRequest{
        order_key(order_id), std::move(cancel),
        model::Cond::eq(attr(domain::kAttrOrderStatus), std::string(domain::kStatusOrdered)),
        ports::ReturnValues::kNone}});
    for (const domain::OrderLine& line : order->lines) {
      auto cart_item = table.get(ports::GetRequest{
          domain::cart_item_key(order->user_id, line.product_id), true, std::nullopt});
      if (!cart_item.ok()) return std::move(cart_item).error();
      if (!*cart_item) continue;
      const std::string* claimed_by = string_at(**cart_item, domain::kAttrOrderId);
      auto added_on = (*cart_item)->find(domain::kAttrAddedOn);
      if (claimed_by == nullptr || *claimed_by != order_id || added_on == (*cart_item)->end() ||
          !(added_on->second == line.added_on)) {
        continue;  // re-added since the order (a new incarnation), or never claimed
      }
      auto release = domain::release_cart_item(order->user_id, line.product_id, line.added_on,
                                               order_id,
                                               domain::next_added_on_after(now, line.added_on));
      actions.push_back(ports::TransactAction{
          ports::UpdateRequest{std::move(release.key), std::move(release.update),
                               std::move(release.condition), ports::ReturnValues::kNone}});
    }
    auto written = table.transact_write(actions, std::nullopt);
    if (written.ok()) {
      order_item[std::string(domain::kAttrOrderStatus)] = std::string(domain::kStatusCancelled);
      order_item[std::string(domain::kAttrCancelledAt)] = now;
      return CancelOutcome{CancelOutcome::Kind::kCancelled, std::move(order_item), {}};
    }
    if (written.error().code != model::ErrorCode::kConditionFailed) {
      return std::move(written).error();
    }
    // The order or one of its cart items changed between our reads and the write: read again.
  }
  return CancelOutcome{CancelOutcome::Kind::kConflict, {}, {}};
}

}  // namespace cartflow::functions
