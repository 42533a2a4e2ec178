// SPDX-License-Identifier: Apache-2.0
// POST /order: validates the order against the catalog and the user's cart, computes the total,
// and writes the order, its lines, a claim on each ordered cart item and the idempotency record
// in ONE conditional transaction.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/cart.h"
#include "domain/keys.h"
#include "domain/order.h"
#include "domain/requests.h"
#include "domain/time.h"
#include "functions/api_idempotency.h"
#include "functions/api_internal.h"
#include "model/dynamo_json.h"
#include "model/expression.h"
#include "util/random.h"

namespace cartflow::functions::api {

namespace {

using ProductMap = std::map<std::string, model::Item, std::less<>>;

// The catalog items of `ids` (those that exist), keyed by productId.
model::Result<ProductMap> fetch_products(ports::Table& table, const std::vector<std::string>& ids) {
  ProductMap products;
  for (std::size_t start = 0; start < ids.size(); start += 100) {
    std::vector<model::Item> keys;
    for (std::size_t i = start; i < std::min(ids.size(), start + 100); ++i) {
      keys.push_back(model::Item{{std::string(domain::kPk), std::string(domain::kProductPartition)},
                                 {std::string(domain::kSk), domain::product_sk(ids[i])}});
    }
    for (int attempt = 0; !keys.empty(); ++attempt) {
      if (attempt == 8) return model::Error::throttled("batch get left unprocessed keys");
      auto result = table.batch_get(keys);
      if (!result.ok()) return std::move(result).error();
      for (auto& item : result->items) {
        auto id = item.find(domain::kAttrProductId);
        if (id != item.end() && id->second.as_s() != nullptr) {
          std::string product_id = *id->second.as_s();
          products.emplace(std::move(product_id), std::move(item));
        }
      }
      keys = std::move(result->unprocessed_keys);
    }
  }
  return products;
}

// The user's cart items still open (not ordered yet), read consistently.
model::Result<std::vector<domain::CartItem>> open_cart_items(ports::Table& table,
                                                             std::string_view user_id) {
  ports::QueryRequest q;
  q.key_condition =
      model::KeyCondition::hash(std::string(domain::kPk), domain::user_pk(user_id))
          .range_is(std::string(domain::kSk), model::KeyCondition::RangeOp::kBeginsWith,
                    "PRODUCT#");
  q.consistent_read = true;
  auto cart_items = query_all(table, std::move(q));
  if (!cart_items.ok()) return std::move(cart_items).error();
  std::vector<domain::CartItem> open;
  for (const auto& item : *cart_items) {
    auto c = domain::cart_item_from_item(item);
    if (c && domain::is_open(*c)) open.push_back(std::move(*c));
  }
  return open;
}

// The products the order is for: the lines it lists, or else every open cart item.
std::vector<std::string> wanted_products(const domain::PlaceOrderRequest& request,
                                         const std::vector<domain::CartItem>& open) {
  std::vector<std::string> wanted;
  if (request.items) {
    for (const auto& line : *request.items) wanted.push_back(line.product_id);
  } else {
    for (const auto& c : open) wanted.push_back(c.product_id);
  }
  return wanted;
}

// The transaction that places an order: puts of the order (`stored`) and of its lines, new
// items only, then a claim of each line's cart item, from `first_claim` on, one per line.
struct OrderWrite {
  std::vector<ports::TransactAction> actions;
  std::size_t first_claim = 0;
};

OrderWrite order_write(const domain::Order& order, model::Item&& stored) {
  auto new_key = model::Cond::not_exists(model::path(std::string(domain::kPk)));
  OrderWrite write;
  write.actions.push_back(ports::TransactAction{ports::PutRequest{std::move(stored), new_key}});
  for (const auto& line : order.lines) {
    write.actions.push_back(ports::TransactAction{
        ports::PutRequest{domain::order_line_item(order, line), new_key}});
  }
  write.first_claim = write.actions.size();
  for (const auto& line : order.lines) {
    auto claim = domain::claim_cart_item(order.user_id, line.product_id, line.added_on,
                                         order.order_id);
    write.actions.push_back(ports::TransactAction{ports::UpdateRequest{
        std::move(claim.key), std::move(claim.update), std::move(claim.condition),
        ports::ReturnValues::kNone}});
  }
  return write;
}

// The answer when the order's transaction failed with `error`: the store error, unless a
// condition failed; then the replay of the request that took the same Idempotency-Key, or
// 409 CART_CHANGED naming the first line whose cart item claim failed, or the store error.
ApiResponse order_write_failed(RequestContext& ctx, const model::Error& error,
                               Idempotency& idempotency, const domain::Order& order,
                               std::size_t first_claim) {
  if (error.code != model::ErrorCode::kConditionFailed) return store_error(ctx, error);
  const auto& reasons = error.cancellation_reasons;
  if (idempotency.active()) {
    if (auto replay = idempotency.after_conflict()) return *replay;
  }
  const std::size_t end = std::min(first_claim + order.lines.size(), reasons.size());
  for (std::size_t i = first_claim; i < end; ++i) {
    if (reasons[i].code == "ConditionalCheckFailed") {
      const auto& line = order.lines[i - first_claim];
      return error_response(ctx, 409, "CART_CHANGED",
                            "product " + line.product_id +
                                " changed in the cart while the order was placed; retry",
                            "order_items");
    }
  }
  return store_error(ctx, error);
}

std::string order_json(const domain::Order& order, const model::Item& stored) {
  std::string body = "{\"message\":\"order placed successfully\",\"order_id\":";
  model::append_json_string(body, order.order_id);
  body += ",\"user_id\":";
  model::append_json_string(body, order.user_id);
  body += ",\"order_status\":";
  model::append_json_string(body, order.status);
  body += ",\"order_date\":";
  model::append_json_string(body, order.order_date);
  body += ",\"order_total\":" + std::to_string(order.total) + ",\"order_items\":";
  model::append_plain_json(body, stored.find(domain::kAttrOrderItems)->second);
  body += '}';
  return body;
}

}  // namespace

ApiResponse place_order(RequestContext& ctx) {
  auto body = json_body(ctx);
  if (auto* r = std::get_if<ApiResponse>(&body)) return std::move(*r);
  auto parsed = domain::parse_place_order(std::get<model::Item>(body));
  if (auto* e = std::get_if<domain::FieldError>(&parsed)) return field_error(ctx, *e);
  const auto& request = std::get<domain::PlaceOrderRequest>(parsed);

  Idempotency idempotency(ctx);
  if (idempotency.early()) return *idempotency.early();

  auto open = open_cart_items(ctx.table, request.user_id);
  if (!open.ok()) return store_error(ctx, open.error());
  std::vector<std::string> wanted = wanted_products(request, *open);
  if (wanted.size() > domain::kMaxOrderLines) {
    return field_error(ctx, {"TOO_MANY_ITEMS", "order_items",
                             "an order holds at most " + std::to_string(domain::kMaxOrderLines) +
                                 " products; list order_items explicitly"});
  }
  auto products = fetch_products(ctx.table, wanted);
  if (!products.ok()) return store_error(ctx, products.error());

  std::int64_t now = ctx.clock.now_ms();
  auto built =
      domain::build_order(request, *open, *products, util::uuid_v4(), domain::iso8601_ms(now));
  if (auto* e = std::get_if<domain::FieldError>(&built)) return field_error(ctx, *e);
  const auto& order = std::get<domain::Order>(built);
  if (auto mismatch = domain::check_order_total(request, order)) {
    return error_response(ctx, 422, mismatch->code, mismatch->message, mismatch->field,
                          "\"computed_total\":" + std::to_string(order.total));
  }

  model::Item stored = domain::order_item(order);
  ApiResponse response = json_response(ctx, 201, order_json(order, stored));
  response.headers.emplace_back("Location", "/orders/" + order.order_id);
  OrderWrite write = order_write(order, std::move(stored));
  if (idempotency.active()) write.actions.push_back(idempotency.record(response));
  auto status = ctx.table.transact_write(write.actions, std::nullopt);
  if (status.ok()) return response;
  return order_write_failed(ctx, status.error(), idempotency, order, write.first_claim);
}

}  // namespace cartflow::functions::api
