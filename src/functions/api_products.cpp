// SPDX-License-Identifier: Apache-2.0
// Routes of the catalog: POST /loadProducts, GET /products, GET /products/{product_id}.
#include "domain/keys.h"
#include "domain/product.h"
#include "domain/sample_catalog.h"
#include "functions/api_internal.h"
#include "functions/catalog.h"
#include "model/dynamo_json.h"

namespace cartflow::functions::api {

namespace {

model::KeyCondition catalog_partition() {
  return model::KeyCondition::hash(std::string(domain::kPk),
                                   std::string(domain::kProductPartition))
      .range_is(std::string(domain::kSk), model::KeyCondition::RangeOp::kBeginsWith, "PRODUCT#");
}

}  // namespace

ApiResponse load_products(RequestContext& ctx) {
  // Puts by key: loading twice leaves the same items.
  auto loaded = load_catalog(ctx.table, domain::sample_catalog_json());
  if (!loaded.ok()) {
    // The bundled catalog is ours: a validation failure here is a bug, not the client's fault.
    model::Error error = std::move(loaded).error();
    if (error.code == model::ErrorCode::kInvalidArgument) error.code = model::ErrorCode::kInternal;
    return store_error(ctx, error);
  }
  return json_response(ctx, 200,
                       "{\"message\":\"products loaded successfully\",\"total\":" +
                           std::to_string(*loaded) + "}");
}

ApiResponse list_products(RequestContext& ctx) {
  auto limit = limit_param(ctx, 0);
  if (auto* r = std::get_if<ApiResponse>(&limit)) return std::move(*r);
  ports::QueryRequest q;
  q.key_condition = catalog_partition();
  // The items are written straight into the answer (Table::query_plain).
  std::string body = "{\"products\":[";
  std::size_t total = 0;
  std::optional<model::Item> next;
  if (std::get<std::int64_t>(limit) == 0 && !ctx.request.query_param("next_token")) {
    auto all = append_public_query_all(ctx.table, q, body);  // the reference's: the whole catalog
    if (!all.ok()) return store_error(ctx, all.error());
    total = *all;
  } else {
    std::int64_t n = std::get<std::int64_t>(limit);
    q.limit = static_cast<std::size_t>(n == 0 ? domain::kDefaultPageSize : n);
    if (auto token = ctx.request.query_param("next_token")) {
      auto key = decode_page_token(*token);
      auto pk = key ? key->find(domain::kPk) : model::Item::const_iterator{};
      if (!key || key->size() != 2 || pk == key->end() ||
          *pk->second.as_s() != domain::kProductPartition || key->count(domain::kSk) == 0) {
        return error_response(ctx, 400, "INVALID_QUERY_PARAMETER",
                              "next_token is not a token of this listing", "next_token");
      }
      q.exclusive_start_key = std::move(*key);
    }
    auto page = ctx.table.query_plain(q, domain::kKeyAttributes, body);
    if (!page.ok()) return store_error(ctx, page.error());
    total = page->count;
    next = std::move(page->last_evaluated_key);
  }
  body += "],\"total\":" + std::to_string(total);
  if (next) {
    body += ",\"next_token\":";
    model::append_json_string(body, encode_page_token(*next));
  }
  body += '}';
  return json_response(ctx, 200, std::move(body));
}

ApiResponse get_product(RequestContext& ctx) {
  auto id = id_param(ctx, "product_id");
  if (auto* r = std::get_if<ApiResponse>(&id)) return std::move(*r);
  const std::string& product_id = std::get<std::string>(id);
  model::Item key{{std::string(domain::kPk), std::string(domain::kProductPartition)},
                  {std::string(domain::kSk), domain::product_sk(product_id)}};
  std::string body;
  auto found = ctx.table.get_plain(ports::GetRequest{std::move(key), true, std::nullopt},
                                   domain::kKeyAttributes, body);
  if (!found.ok()) return store_error(ctx, found.error());
  if (!*found) {
    return error_response(ctx, 404, "PRODUCT_NOT_FOUND", "product " + product_id + " not found",
                          "product_id");
  }
  return json_response(ctx, 200, std::move(body));
}

}  // namespace cartflow::functions::api
