// SPDX-License-Identifier: Apache-2.0
// Routes beyond the reference: GET /orders/{order_id}, POST /orders/{order_id}/cancel,
// GET /users/{user_id}/orders (newest first, paginated). GET and the listing also show the
// orders the reference's API wrote (PK "ORDER"); cancel refuses them (409, docs/EVENTS.md).
#include "domain/keys.h"
#include "domain/product.h"
#include "domain/time.h"
#include "functions/api_internal.h"
#include "functions/order_cancel.h"
#include "model/dynamo_json.h"
#include "model/expression.h"

namespace cartflow::functions::api {

namespace {

model::Item order_key(const std::string& order_id) {
  return model::Item{{std::string(domain::kPk), domain::order_pk(order_id)},
                     {std::string(domain::kSk), domain::order_pk(order_id)}};
}

model::Item reference_order_key(const std::string& order_id) {
  return model::Item{{std::string(domain::kPk), std::string(domain::kReferenceOrderPartition)},
                     {std::string(domain::kSk), domain::order_pk(order_id)}};
}

ApiResponse order_not_found(const RequestContext& ctx, const std::string& order_id) {
  return error_response(ctx, 404, "ORDER_NOT_FOUND", "order " + order_id + " not found",
                        "order_id");
}

}  // namespace

ApiResponse get_order(RequestContext& ctx) {
  auto id = id_param(ctx, "order_id");
  if (auto* r = std::get_if<ApiResponse>(&id)) return std::move(*r);
  const std::string& order_id = std::get<std::string>(id);
  auto item = ctx.table.get(ports::GetRequest{order_key(order_id), true, std::nullopt});
  if (!item.ok()) return store_error(ctx, item.error());
  if (!*item) {  // perhaps an order the reference's API wrote (domain/keys.h)
    item = ctx.table.get(ports::GetRequest{reference_order_key(order_id), true, std::nullopt});
    if (!item.ok()) return store_error(ctx, item.error());
  }
  if (!*item) return order_not_found(ctx, order_id);
  return json_response(ctx, 200, model::to_plain_json(domain::public_view(std::move(**item))));
}

ApiResponse cancel_order(RequestContext& ctx) {
  auto id = id_param(ctx, "order_id");
  if (auto* r = std::get_if<ApiResponse>(&id)) return std::move(*r);
  const std::string& order_id = std::get<std::string>(id);
  auto outcome = functions::cancel_order(ctx.table, order_id, ctx.clock.now_ms());
  if (!outcome.ok()) return store_error(ctx, outcome.error());
  switch (outcome->kind) {
    case CancelOutcome::Kind::kCancelled:
      return json_response(ctx, 200,
                           model::to_plain_json(domain::public_view(std::move(outcome->order))));
    case CancelOutcome::Kind::kNotFound: {
      // An order the reference's API wrote never claimed its cart items: nothing to release,
      // and its items may already be ORDERED by the pipeline. Say so rather than 404.
      auto reference =
          ctx.table.get(ports::GetRequest{reference_order_key(order_id), true, std::nullopt});
      if (!reference.ok()) return store_error(ctx, reference.error());
      if (!*reference) return order_not_found(ctx, order_id);
      return error_response(ctx, 409, "ORDER_NOT_CANCELLABLE",
                            "order " + order_id +
                                " was placed through the reference API; it cannot be cancelled",
                            "order_id");
    }
    case CancelOutcome::Kind::kNotCancellable: {
      const std::string& current = outcome->status;
      return error_response(ctx, 409, "ORDER_NOT_CANCELLABLE",
                            "order " + order_id + " is " + current +
                                "; only ORDERED orders can be cancelled",
                            "order_id", "\"order_status\":\"" + current + "\"");
    }
    case CancelOutcome::Kind::kConflict:
      break;
  }
  return error_response(ctx, 409, "CONFLICT",
                        "the order's cart items are changing concurrently; retry", "order_id");
}

ApiResponse list_user_orders(RequestContext& ctx) {
  auto user = id_param(ctx, "user_id");
  if (auto* r = std::get_if<ApiResponse>(&user)) return std::move(*r);
  auto limit = limit_param(ctx, domain::kDefaultPageSize);
  if (auto* r = std::get_if<ApiResponse>(&limit)) return std::move(*r);
  std::string gsi_pk = domain::user_pk(std::get<std::string>(user));
  ports::QueryRequest q;
  q.index_name = std::string(domain::kUserOrdersIndex);
  q.key_condition = model::KeyCondition::hash(std::string(domain::kGsi1Pk), gsi_pk)
                        .range_is(std::string(domain::kGsi1Sk),
                                  model::KeyCondition::RangeOp::kBeginsWith,
                                  std::string(domain::kOrderPrefix));
  q.scan_forward = false;  // newest first
  q.limit = static_cast<std::size_t>(std::get<std::int64_t>(limit));
  if (auto token = ctx.request.query_param("next_token")) {
    auto key = decode_page_token(*token);
    bool ours = key && key->size() == 4 && key->count(domain::kPk) != 0 &&
                key->count(domain::kSk) != 0 && key->count(domain::kGsi1Sk) != 0 &&
                key->count(domain::kGsi1Pk) != 0 &&
                *key->find(domain::kGsi1Pk)->second.as_s() == gsi_pk;
    if (!ours) {
      return error_response(ctx, 400, "INVALID_QUERY_PARAMETER",
                            "next_token is not a token of this listing", "next_token");
    }
    q.exclusive_start_key = std::move(*key);
  }
  auto page = ctx.table.query(q);
  if (!page.ok()) return store_error(ctx, page.error());
  std::string body = "{\"orders\":";
  append_public_items(body, page->items);
  body += ",\"count\":" + std::to_string(page->items.size());
  if (page->last_evaluated_key) {
    body += ",\"next_token\":";
    model::append_json_string(body, encode_page_token(*page->last_evaluated_key));
  }
  body += '}';
  return json_response(ctx, 200, std::move(body));
}

}  // namespace cartflow::functions::api
