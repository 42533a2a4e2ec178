// SPDX-License-Identifier: Apache-2.0
// A table of bad requests: each gets its status, code and field, and writes nothing (the whole
// table, its index entries and its stream are compared before and after).
#include "api_fixture.h"

namespace cartflow::api_testing {
namespace {

struct BadRequest {
  std::string name;
  std::string method;
  std::string path;
  std::optional<std::string> body;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;
  int status;
  std::string code;
  std::string field;  // empty: not checked
  bool base64 = false;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

const std::vector<BadRequest>& cases() {
  using Q = std::map<std::string, std::string>;
  static const std::vector<BadRequest> kCases = {
      {"cart: no body", "POST", "/cart/u1", std::nullopt, {}, {}, 400, "MISSING_BODY", "body"},
      {"cart: empty body", "POST", "/cart/u1", "", {}, {}, 400, "MISSING_BODY", "body"},
      {"cart: malformed JSON", "POST", "/cart/u1", "{", {}, {}, 400, "INVALID_JSON", "body"},
      {"cart: trailing garbage", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":1} x)", {}, {}, 400, "INVALID_JSON", "body"},
      {"cart: array body", "POST", "/cart/u1", "[1,2]", {}, {}, 400, "INVALID_BODY", "body"},
      {"cart: string body", "POST", "/cart/u1", "\"text\"", {}, {}, 400, "INVALID_BODY", "body"},
      {"cart: null body", "POST", "/cart/u1", "null", {}, {}, 400, "INVALID_BODY", "body"},
      {"cart: missing product_id", "POST", "/cart/u1", R"({"quantity":1})", {}, {}, 400, "MISSING_FIELD", "product_id"},
      {"cart: missing quantity", "POST", "/cart/u1", R"({"product_id":"{P0}"})", {}, {}, 400, "MISSING_FIELD", "quantity"},
      {"cart: null quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":null})", {}, {}, 400, "MISSING_FIELD", "quantity"},
      {"cart: numeric product_id", "POST", "/cart/u1", R"({"product_id":5,"quantity":1})", {}, {}, 400, "INVALID_FIELD", "product_id"},
      {"cart: string quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":"2"})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: zero quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":0})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: negative quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":-3})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: quantity 1001", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":1001})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: huge quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":1e9})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: 23-digit quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":99999999999999999999999})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: fractional quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":1.5})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: boolean quantity", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":true})", {}, {}, 400, "INVALID_FIELD", "quantity"},
      {"cart: empty product_id", "POST", "/cart/u1", R"({"product_id":"","quantity":1})", {}, {}, 400, "INVALID_FIELD", "product_id"},
      {"cart: product_id with spaces", "POST", "/cart/u1", R"({"product_id":"bad id!","quantity":1})", {}, {}, 400, "INVALID_FIELD", "product_id"},
      {"cart: product_id too long", "POST", "/cart/u1", R"({"product_id":")" + std::string(65, 'p') + R"(","quantity":1})", {}, {}, 400, "INVALID_FIELD", "product_id"},
      {"cart: unknown product", "POST", "/cart/u1", R"({"product_id":"no-such-product","quantity":1})", {}, {}, 404, "PRODUCT_NOT_FOUND", "product_id"},
      {"cart: user id with space", "POST", "/cart/bad%20user", R"({"product_id":"{P0}","quantity":1})", {}, {}, 400, "INVALID_PATH_PARAMETER", "user_id"},
      {"cart: user id too long", "POST", "/cart/" + std::string(65, 'u'), R"({"product_id":"{P0}","quantity":1})", {}, {}, 400, "INVALID_PATH_PARAMETER", "user_id"},
      {"cart: user id with #", "GET", "/cart/a%23b", std::nullopt, {}, {}, 400, "INVALID_PATH_PARAMETER", "user_id"},
      {"cart: bad base64 body", "POST", "/cart/u1", "!!!not-base64!!!", {}, {}, 400, "INVALID_BODY", "body", true},
      {"cart: malformed Idempotency-Key", "POST", "/cart/u1", R"({"product_id":"{P0}","quantity":1})", {}, {{"Idempotency-Key", "has space"}}, 400, "INVALID_HEADER", "Idempotency-Key"},
      {"cart: oversized body", "POST", "/cart/u1", std::string(6 * 1024 * 1024 + 1, ' '), {}, {}, 413, "PAYLOAD_TOO_LARGE", "body"},
      {"cart: wrong method", "PATCH", "/cart/u1", R"({})", {}, {}, 405, "METHOD_NOT_ALLOWED", ""},
      {"delete: unknown cart item", "DELETE", "/cart/u1/no-such-product", std::nullopt, {}, {}, 404, "CART_ITEM_NOT_FOUND", "product_id"},
      {"delete: bad product id", "DELETE", "/cart/u1/bad%21", std::nullopt, {}, {}, 400, "INVALID_PATH_PARAMETER", "product_id"},
      {"products: bad product id", "GET", "/products/bad$id", std::nullopt, {}, {}, 400, "INVALID_PATH_PARAMETER", "product_id"},
      {"products: limit 0", "GET", "/products", std::nullopt, Q{{"limit", "0"}}, {}, 400, "INVALID_QUERY_PARAMETER", "limit"},
      {"products: limit abc", "GET", "/products", std::nullopt, Q{{"limit", "abc"}}, {}, 400, "INVALID_QUERY_PARAMETER", "limit"},
      {"products: limit 101", "GET", "/products", std::nullopt, Q{{"limit", "101"}}, {}, 400, "INVALID_QUERY_PARAMETER", "limit"},
      {"products: garbage token", "GET", "/products", std::nullopt, Q{{"next_token", "garbage!"}}, {}, 400, "INVALID_QUERY_PARAMETER", "next_token"},
      {"products: wrong method", "DELETE", "/products", std::nullopt, {}, {}, 405, "METHOD_NOT_ALLOWED", ""},
      {"orders: limit -1", "GET", "/users/u1/orders", std::nullopt, Q{{"limit", "-1"}}, {}, 400, "INVALID_QUERY_PARAMETER", "limit"},
      {"orders: foreign token", "GET", "/users/u1/orders", std::nullopt, Q{{"next_token", "eyJ4Ijp7IlMiOiJ5In19"}}, {}, 400, "INVALID_QUERY_PARAMETER", "next_token"},
      {"order: no body", "POST", "/order", std::nullopt, {}, {}, 400, "MISSING_BODY", "body"},
      {"order: empty object", "POST", "/order", "{}", {}, {}, 400, "MISSING_FIELD", "user_id"},
      {"order: numeric user_id", "POST", "/order", R"({"user_id":7})", {}, {}, 400, "INVALID_FIELD", "user_id"},
      {"order: string total", "POST", "/order", R"({"user_id":"u1","order_total":"12"})", {}, {}, 400, "INVALID_FIELD", "order_total"},
      {"order: negative total", "POST", "/order", R"({"user_id":"u1","order_total":-5})", {}, {}, 400, "INVALID_FIELD", "order_total"},
      {"order: fractional total", "POST", "/order", R"({"user_id":"u1","order_total":1.25})", {}, {}, 400, "INVALID_FIELD", "order_total"},
      {"order: items not an array", "POST", "/order", R"({"user_id":"u1","order_items":"{P0}"})", {}, {}, 400, "INVALID_FIELD", "order_items"},
      {"order: empty items", "POST", "/order", R"({"user_id":"u1","order_items":[]})", {}, {}, 400, "EMPTY_ORDER", "order_items"},
      {"order: numeric item", "POST", "/order", R"({"user_id":"u1","order_items":[42]})", {}, {}, 400, "INVALID_FIELD", "order_items[0]"},
      {"order: item without productId", "POST", "/order", R"({"user_id":"u1","order_items":[{"quantity":1}]})", {}, {}, 400, "MISSING_FIELD", "order_items[0].productId"},
      {"order: item quantity 0", "POST", "/order", R"({"user_id":"u1","order_items":[{"productId":"{P0}","quantity":0}]})", {}, {}, 400, "INVALID_FIELD", "order_items[0].quantity"},
      {"order: duplicate item", "POST", "/order", R"({"user_id":"u1","order_items":["{P0}","{P0}"]})", {}, {}, 400, "DUPLICATE_ITEM", "order_items[1]"},
      {"order: item not in cart", "POST", "/order", R"({"user_id":"u1","order_items":["{P1}"]})", {}, {}, 422, "ITEM_NOT_IN_CART", "order_items[0]"},
      {"order: quantity differs from cart", "POST", "/order", R"({"user_id":"u1","order_items":[{"productId":"{P0}","quantity":2}]})", {}, {}, 422, "QUANTITY_MISMATCH", "order_items[0].quantity"},
      {"order: wrong total", "POST", "/order", R"({"user_id":"u1","order_total":1})", {}, {}, 422, "ORDER_TOTAL_MISMATCH", "order_total"},
      {"order: empty cart", "POST", "/order", R"({"user_id":"u9"})", {}, {}, 400, "EMPTY_ORDER", "order_items"},
      {"order: oversized body", "POST", "/order", R"({"user_id":"u1","pad":")" + std::string(6 * 1024 * 1024, 'x') + "\"}", {}, {}, 413, "PAYLOAD_TOO_LARGE", "body"},
      {"order: PUT", "PUT", "/order", R"({"user_id":"u1"})", {}, {}, 405, "METHOD_NOT_ALLOWED", ""},
      {"order: GET", "GET", "/order", std::nullopt, {}, {}, 405, "METHOD_NOT_ALLOWED", ""},
      {"order: unknown order", "GET", "/orders/no-such-order", std::nullopt, {}, {}, 404, "ORDER_NOT_FOUND", "order_id"},
      {"cancel: unknown order", "POST", "/orders/no-such-order/cancel", std::nullopt, {}, {}, 404, "ORDER_NOT_FOUND", "order_id"},
      {"cancel: wrong method", "GET", "/orders/x/cancel", std::nullopt, {}, {}, 405, "METHOD_NOT_ALLOWED", ""},
      {"route: unknown", "GET", "/nope", std::nullopt, {}, {}, 404, "ROUTE_NOT_FOUND", ""},
      {"route: root", "GET", "/", std::nullopt, {}, {}, 404, "ROUTE_NOT_FOUND", ""},
      {"route: wrong case", "POST", "/loadproducts", std::nullopt, {}, {}, 404, "ROUTE_NOT_FOUND", ""},
      {"route: load with GET", "GET", "/loadProducts", std::nullopt, {}, {}, 405, "METHOD_NOT_ALLOWED", ""},
  };
  return kCases;
}

TEST_F(ApiTest, BadRequestsGetTheirStatusAndWriteNothing) {
  ASSERT_EQ(load().status, 200);
  auto ids = product_ids();
  ASSERT_EQ(add("u1", ids[0], 1).status, 200);
  ASSERT_GE(cases().size(), 40u);
  Dump before = dump();
  for (const BadRequest& c : cases()) {
    SCOPED_TRACE(c.name);
    std::optional<std::string> body = c.body;
    if (body) body = replace_all(replace_all(*body, "{P0}", ids[0]), "{P1}", ids[1]);
    auto r = send({c.method, c.path, body, c.headers, c.query, c.base64});
    EXPECT_EQ(r.status, c.status) << r.raw.body.substr(0, 300);
    EXPECT_EQ(r.str("code"), c.code);
    EXPECT_FALSE(r.str("message").empty());
    if (!c.field.empty()) {
      EXPECT_EQ(r.str("field"), c.field);
    }
    if (!c.field.empty() && c.status != 404) {
      EXPECT_NE(r.str("message").find(c.field == "body" ? "body" : c.field.substr(0, c.field.find('['))),
                std::string::npos)
          << "the message names the field: " << r.str("message");
    }
    EXPECT_EQ(r.raw.header("Content-Type"), "application/json");
    EXPECT_EQ(dump(), before) << "a rejected request wrote something";
  }
}

}  // namespace
}  // namespace cartflow::api_testing
