// SPDX-License-Identifier: Apache-2.0
// Routes of the cart: POST /cart/{user_id}, GET /cart/{user_id},
// DELETE /cart/{user_id}/{product_id}.
//
// POST on a product already in the cart REPLACES it (the reference's behaviour, and a retry
// without Idempotency-Key cannot double a quantity): the new item is a fresh incarnation with a
// new addedOn, whether the previous one was PENDING, claimed by an order, or ORDERED. The
// pipeline's conditional update (same addedOn) then leaves the fresh item PENDING.
#include "domain/cart.h"
#include "domain/keys.h"
#include "domain/product.h"
#include "domain/requests.h"
#include "domain/time.h"
#include "functions/api_idempotency.h"
#include "functions/api_internal.h"
#include "model/dynamo_json.h"
#include "model/expression.h"

namespace cartflow::functions::api {

namespace {

model::Item cart_key(const std::string& user_id, const std::string& product_id) {
  return domain::cart_item_key(user_id, product_id);
}

}  // namespace

ApiResponse add_to_cart(RequestContext& ctx) {
  auto user = id_param(ctx, "user_id");
  if (auto* r = std::get_if<ApiResponse>(&user)) return std::move(*r);
  const std::string& user_id = std::get<std::string>(user);
  auto body = json_body(ctx);
  if (auto* r = std::get_if<ApiResponse>(&body)) return std::move(*r);
  auto request = domain::parse_add_to_cart(std::get<model::Item>(body));
  if (auto* e = std::get_if<domain::FieldError>(&request)) return field_error(ctx, *e);
  const auto& add = std::get<domain::AddToCartRequest>(request);

  Idempotency idempotency(ctx);
  if (idempotency.early()) return *idempotency.early();

  model::Item product_key{{std::string(domain::kPk), std::string(domain::kProductPartition)},
                          {std::string(domain::kSk), domain::product_sk(add.product_id)}};
  auto product = ctx.table.get(ports::GetRequest{std::move(product_key), true, std::nullopt});
  if (!product.ok()) return store_error(ctx, product.error());
  if (!*product) {
    return error_response(ctx, 404, "PRODUCT_NOT_FOUND",
                          "product " + add.product_id + " not found", "product_id");
  }

  std::string body_text = "{\"productId\":";
  model::append_json_string(body_text, add.product_id);
  body_text += ",\"message\":\"product added to cart\"}";
  ApiResponse response = json_response(ctx, 200, std::move(body_text));

  // Optimistic: replace exactly the incarnation we read, so that addedOn stays unique.
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto existing = ctx.table.get(ports::GetRequest{cart_key(user_id, add.product_id), true,
                                                    std::nullopt});
    if (!existing.ok()) return store_error(ctx, existing.error());
    // The incarnation we replace: its addedOn as stored (S, or N as the reference wrote it).
    std::optional<model::AttributeValue> previous;
    if (*existing) {
      auto it = (*existing)->find(domain::kAttrAddedOn);
      if (it != (*existing)->end() && (it->second.is_s() || it->second.is_n())) {
        previous = it->second;
      }
    }
    const std::string now = domain::iso8601_ms(ctx.clock.now_ms());
    domain::CartItem item{user_id, add.product_id, add.quantity,
                          std::string(domain::kStatusPending),
                          previous ? domain::next_added_on_after(now, *previous) : now,
                          std::nullopt};
    model::Cond unchanged =
        previous ? model::Cond::eq(model::path(std::string(domain::kAttrAddedOn)), *previous)
                 : model::Cond::not_exists(model::path(std::string(domain::kPk)));
    std::vector<ports::TransactAction> actions;
    actions.push_back(ports::TransactAction{ports::PutRequest{domain::to_item(item), unchanged}});
    if (idempotency.active()) actions.push_back(idempotency.record(response));
    auto status = ctx.table.transact_write(actions, std::nullopt);
    if (status.ok()) return response;
    const model::Error& error = status.error();
    if (error.code != model::ErrorCode::kConditionFailed) return store_error(ctx, error);
    if (idempotency.active()) {
      if (auto replay = idempotency.after_conflict()) return *replay;
    }
    // The cart item changed between our read and write: read it again.
  }
  return error_response(ctx, 409, "CONFLICT", "the cart item is changing concurrently; retry",
                        "product_id");
}

ApiResponse get_cart(RequestContext& ctx) {
  auto user = id_param(ctx, "user_id");
  if (auto* r = std::get_if<ApiResponse>(&user)) return std::move(*r);
  ports::QueryRequest q;
  q.key_condition =
      model::KeyCondition::hash(std::string(domain::kPk), domain::user_pk(std::get<std::string>(user)))
          .range_is(std::string(domain::kSk), model::KeyCondition::RangeOp::kBeginsWith, "PRODUCT#");
  q.consistent_read = true;
  auto items = query_all(ctx.table, q);
  if (!items.ok()) return store_error(ctx, items.error());
  std::vector<model::Item> open;
  for (auto& item : *items) {
    auto cart_item = domain::cart_item_from_item(item);
    if (cart_item && domain::is_open(*cart_item)) open.push_back(std::move(item));
  }
  std::string body = "{\"cart_items\":";
  append_public_items(body, open);
  body += '}';
  return json_response(ctx, 200, std::move(body));
}

ApiResponse remove_from_cart(RequestContext& ctx) {
  auto user = id_param(ctx, "user_id");
  if (auto* r = std::get_if<ApiResponse>(&user)) return std::move(*r);
  auto product = id_param(ctx, "product_id");
  if (auto* r = std::get_if<ApiResponse>(&product)) return std::move(*r);
  const std::string& user_id = std::get<std::string>(user);
  const std::string& product_id = std::get<std::string>(product);
  ports::DeleteRequest request{cart_key(user_id, product_id),
                               model::Cond::exists(model::path(std::string(domain::kPk))) &&
                                   domain::open_cart_item_condition(),
                               ports::ReturnValues::kNone};
  auto result = ctx.table.remove(request);
  if (result.ok()) {
    std::string body = "{\"productId\":";
    model::append_json_string(body, product_id);
    body += ",\"message\":\"product removed from cart\"}";
    return json_response(ctx, 200, std::move(body));
  }
  if (result.error().code != model::ErrorCode::kConditionFailed) {
    return store_error(ctx, result.error());
  }
  auto existing = ctx.table.get(ports::GetRequest{cart_key(user_id, product_id), true, std::nullopt});
  if (!existing.ok()) return store_error(ctx, existing.error());
  if (!*existing) {
    return error_response(ctx, 404, "CART_ITEM_NOT_FOUND",
                          "product " + product_id + " is not in the cart of " + user_id,
                          "product_id");
  }
  return error_response(ctx, 409, "CART_ITEM_ORDERED",
                        "product " + product_id + " of the cart of " + user_id +
                            " is already ordered",
                        "product_id");
}

}  // namespace cartflow::functions::api
