// SPDX-License-Identifier: Apache-2.0
#include "hostile_cases.h"

#include "raw_http.h"

namespace cartflow::testing {

namespace {

std::string nested(char open, char close, int depth, const std::string& inner = "1") {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open == '{' ? "{\"a\":" : std::string(1, open);
  s += inner;
  s.append(static_cast<std::size_t>(depth), close);
  return s;
}

}  // namespace

std::vector<HostileCase> hostile_catalogue(const CatalogueInputs& in) {
  std::vector<HostileCase> c;
  const std::string& k = in.key;
  const std::string& p = in.product_id;
  const std::string cart = "/cart/" + in.user_id;
  auto add = [&](std::string name, std::string request, int status) {
    c.push_back(HostileCase{std::move(name), std::move(request), status, std::nullopt, false});
  };
  auto cart_body = [&](const std::string& name, const std::string& body, int status = 400) {
    add("cart body: " + name, http_request("POST", cart, k, body), status);
  };
  auto qty = [&](const std::string& name, const std::string& q) {
    cart_body("quantity " + name, "{\"product_id\":\"" + p + "\",\"quantity\":" + q + "}");
  };
  auto pid = [&](const std::string& name, const std::string& id_json) {
    cart_body("product_id " + name, "{\"product_id\":" + id_json + ",\"quantity\":1}");
  };
  auto get = [&](const std::string& name, const std::string& target, int status) {
    add(name, http_request("GET", target, k), status);
  };

  // Keys: API Gateway's 403 Forbidden.
  add("no key", http_request("GET", "/products", ""), 403);
  add("no key, stage prefix", http_request("GET", "/Dev/products", ""), 403);
  add("no key on POST /order", http_request("POST", "/order", "", "{\"user_id\":\"u1\"}"), 403);
  add("no key on POST /loadProducts", http_request("POST", "/loadProducts", ""), 403);
  add("wrong key", http_request("GET", "/products", "not-a-key-at-all-0123456789"), 403);
  add("empty key", http_request("GET", "/products", "", std::nullopt, "x-api-key: \r\n"), 403);
  add("key with a trailing char", http_request("GET", "/products", k + "x"), 403);
  add("key prefix", http_request("GET", "/products", k.substr(0, k.size() - 1)), 403);
  add("key as SQL", http_request("GET", "/products", "' OR '1'='1"), 403);
  add("key 4000 chars", http_request("GET", "/products", std::string(4000, 'k')), 403);
  add("key with invalid UTF-8", http_request("GET", "/products", "\xff\xfe\xc3\x28"), 403);
  add("revoked key", http_request("GET", "/products", in.revoked_key), 403);
  add("revoked key writing", http_request("POST", cart, in.revoked_key, "{\"product_id\":\"" + p + "\",\"quantity\":1}"), 403);
  add("key in a query string", http_request("GET", "/products?x-api-key=" + k, ""), 403);
  {
    HostileCase t{"throttled key", http_request("GET", "/products", in.throttled_key), 429,
                  http_request("GET", "/health", in.throttled_key), false};
    // /health needs no key and does not spend tokens: spend the one token on a keyed route.
    t.prelude = http_request("GET", "/products?limit=1", in.throttled_key);
    c.push_back(t);
    HostileCase w{"throttled key writing",
                  http_request("POST", cart, in.throttled_key,
                               "{\"product_id\":\"" + p + "\",\"quantity\":1}"),
                  429, std::nullopt, false};
    c.push_back(w);
    HostileCase q{"quota exhausted", http_request("GET", "/products", in.quota_key), 429,
                  http_request("GET", "/products?limit=1", in.quota_key), false};
    c.push_back(q);
  }

  // Unknown routes and methods: API Gateway's 403 Missing Authentication Token.
  get("unknown route", "/nope", 403);
  get("stage root", "/Dev/", 403);  // "/" itself is the storefront (docs/WEB.md)
  get("double stage", "/Dev/Dev/products", 403);
  get("route case", "/PRODUCTS", 403);
  get("too many segments", "/products/a/b", 403);
  get("cart without user", "/cart", 403);
  get("metrics below", "/metrics/x", 403);
  add("PUT /products", http_request("PUT", "/products", k, "{}"), 403);
  add("PATCH /order", http_request("PATCH", "/order", k, "{}"), 403);
  add("DELETE /order", http_request("DELETE", "/order", k), 403);
  add("POST /products", http_request("POST", "/products", k, "{}"), 403);
  add("GET /order", http_request("GET", "/order", k), 403);
  add("OPTIONS /order", http_request("OPTIONS", "/order", k), 403);
  add("unknown method BREW", http_request("BREW", "/products", k), 403);
  add("DELETE /cart/user", http_request("DELETE", cart, k), 403);

  // Identifiers in the path: 400 INVALID_FIELD (never a file or SQL path).
  get("id %2F", "/products/..%2F..%2Fetc%2Fpasswd", 400);
  get("id ..", "/products/..", 400);
  get("id %2e%2e", "/products/%2e%2e", 400);
  get("id %00", "/products/%00", 400);
  get("id a%00b", "/products/a%00b", 400);
  get("id SQL quote", "/products/%27%20OR%20%271%27%3D%271", 400);
  get("id SQL drop", "/products/x%3BDROP%20TABLE%20items", 400);
  get("id 65 chars", "/products/" + std::string(65, 'a'), 400);
  get("id 10000 chars", "/products/" + std::string(10000, 'a'), 400);
  get("id bad percent", "/products/%ZZ", 400);
  get("id invalid UTF-8", "/products/%C3%28", 400);
  get("id non-ASCII", "/products/caf%C3%A9", 400);
  get("id space", "/products/a%20b", 400);
  get("cart user %2F", "/cart/..%2Fadmin", 400);
  get("cart user %00", "/cart/u1%00", 400);
  get("cart user SQL", "/cart/u1%27--", 400);
  get("cart user 65 chars", "/cart/" + std::string(65, 'u'), 400);
  add("add to cart user %2F", http_request("POST", "/cart/a%2Fb", k, "{\"product_id\":\"" + p + "\",\"quantity\":1}"), 400);
  add("add to cart user ..", http_request("POST", "/cart/..", k, "{\"product_id\":\"" + p + "\",\"quantity\":1}"), 400);
  add("remove product %2F", http_request("DELETE", cart + "/%2F", k), 400);
  add("remove product ..", http_request("DELETE", cart + "/..", k), 400);
  add("remove product SQL", http_request("DELETE", cart + "/%27%20OR%201%3D1", k), 400);
  get("order id quote", "/orders/%27", 400);
  get("order id 10000 chars", "/orders/" + std::string(10000, 'o'), 400);
  get("user orders ..", "/users/%2e%2e/orders", 400);
  add("cancel order %2F", http_request("POST", "/orders/..%2Fx/cancel", k), 400);
  // Valid but unknown identifiers: 404, nothing written.
  get("unknown product", "/products/" + std::string(64, 'z'), 404);
  get("unknown order", "/orders/no-such-order", 404);
  add("cancel unknown order", http_request("POST", "/orders/no-such-order/cancel", k), 404);
  add("remove product not in cart", http_request("DELETE", cart + "/not-in-cart", k), 404);

  // Query parameters.
  get("limit 0", "/products?limit=0", 400);
  get("limit -1", "/products?limit=-1", 400);
  get("limit 101", "/products?limit=101", 400);
  get("limit 1e400", "/products?limit=1e400", 400);
  get("limit 40 digits", "/products?limit=1234567890123456789012345678901234567890", 400);
  get("limit abc", "/products?limit=abc", 400);
  get("limit %00", "/products?limit=%00", 400);
  get("next_token garbage", "/products?next_token=%%%garbage", 400);
  get("next_token 5000 chars", "/products?next_token=" + std::string(5000, 'A'), 400);
  get("next_token SQL", "/products?next_token=%27%20OR%201%3D1", 400);
  get("user orders limit 0", "/users/" + in.user_id + "/orders?limit=0", 400);

  // Bodies of POST /cart/{user_id}.
  add("cart no body", http_request("POST", cart, k), 400);
  cart_body("whitespace", "   \r\n ");
  cart_body("truncated", "{");
  cart_body("truncated string", "{\"product_id\":\"ab");
  cart_body("array", "[]");
  cart_body("null", "null");
  cart_body("number", "42");
  cart_body("string", "\"str\"");
  cart_body("trailing garbage", "{\"product_id\":\"" + p + "\",\"quantity\":1}xyz");
  cart_body("two objects", "{\"product_id\":\"" + p + "\",\"quantity\":1}{}");
  cart_body("single quotes", "{'product_id':'" + p + "','quantity':1}");
  cart_body("comment", "{/* c */\"product_id\":\"" + p + "\",\"quantity\":1}");
  cart_body("NaN", "{\"product_id\":\"" + p + "\",\"quantity\":NaN}");
  cart_body("Infinity", "{\"product_id\":\"" + p + "\",\"quantity\":Infinity}");
  cart_body("hex number", "{\"product_id\":\"" + p + "\",\"quantity\":0x10}");
  cart_body("nested arrays 10000", nested('[', ']', 10000));
  cart_body("nested objects 10000", nested('{', '}', 10000));
  cart_body("nested in a field 10000",
            "{\"product_id\":\"" + p + "\",\"quantity\":" + nested('[', ']', 10000) + "}");
  cart_body("unclosed nesting 10000", std::string(10000, '['));
  cart_body("invalid UTF-8 in a string",
            "{\"product_id\":\"" + p + "\",\"quantity\":1,\"note\":\"\xc3\x28\"}");
  cart_body("invalid UTF-8 bytes", "{\"product_id\":\"\xff\xfe\xfd\",\"quantity\":1}");
  cart_body("raw control char", "{\"product_id\":\"a\x01" "b\",\"quantity\":1}");
  cart_body("missing product_id", "{\"quantity\":1}");
  cart_body("missing quantity", "{\"product_id\":\"" + p + "\"}");
  cart_body("empty object", "{}");
  qty("0", "0");
  qty("-1", "-1");
  qty("-0", "-0");
  qty("1001", "1001");
  qty("1.5", "1.5");
  qty("as string", "\"2\"");
  qty("true", "true");
  qty("null", "null");
  qty("array", "[1]");
  qty("object", "{\"n\":1}");
  qty("1e400", "1e400");
  qty("-1e400", "-1e400");
  qty("40 digits", "1234567890123456789012345678901234567890");
  qty("2^63", "9223372036854775808");
  qty("-2^63-1", "-9223372036854775809");
  qty("1e308", "1e308");
  pid("number", "123");
  pid("null", "null");
  pid("empty", "\"\"");
  pid("..", "\"..\"");
  pid("with /", "\"a/b\"");
  pid("with NUL escape", "\"a\\u0000b\"");
  pid("lone surrogate", "\"\\ud800\"");
  pid("SQL", "\"' OR '1'='1\"");
  pid("65 chars", "\"" + std::string(65, 'a') + "\"");
  pid("10000 chars", "\"" + std::string(10000, 'a') + "\"");
  pid("array", "[\"" + p + "\"]");
  cart_body("unknown product", "{\"product_id\":\"no-such-product\",\"quantity\":1}", 404);

  // Bodies of POST /order.
  auto order = [&](const std::string& name, const std::string& body, int status = 400,
                   const std::string& headers = "") {
    add("order: " + name, http_request("POST", "/order", k, body, headers), status);
  };
  order("no body", "");
  order("empty object", "{}");
  order("user_id number", "{\"user_id\":123}");
  order("user_id ..", "{\"user_id\":\"../u\"}");
  order("user_id SQL", "{\"user_id\":\"u'; DROP TABLE items;--\"}");
  order("user_id with an empty cart", "{\"user_id\":\"nobody-here\"}");
  order("order_items not a list",
        "{\"user_id\":\"" + in.user_id + "\",\"order_items\":\"all\"}");
  order("order_items empty", "{\"user_id\":\"" + in.user_id + "\",\"order_items\":[]}");
  order("quantity mismatch",
        "{\"user_id\":\"" + in.user_id + "\",\"order_items\":[{\"productId\":\"" + p +
            "\",\"quantity\":3}]}",
        422);
  order("negative quantity",
        "{\"user_id\":\"" + in.user_id + "\",\"order_items\":[{\"productId\":\"" + p +
            "\",\"quantity\":-2}]}");
  order("item not in cart",
        "{\"user_id\":\"" + in.user_id +
            "\",\"order_items\":[{\"productId\":\"not-in-cart\",\"quantity\":1}]}",
        422);
  order("huge total", "{\"user_id\":\"" + in.user_id + "\",\"order_total\":1e400}");
  order("nested 10000", nested('[', ']', 10000));
  order("idempotency key 300 chars", "{\"user_id\":\"" + in.user_id + "\",\"order_items\":[]}",
        400, "Idempotency-Key: " + std::string(300, 'i') + "\r\n");
  order("idempotency key with spaces", "{\"user_id\":\"nobody-here\"}", 400,
        "Idempotency-Key: a b c\r\n");

  // Framing the server refuses itself.
  add("header 20 KiB",
      http_request("GET", "/products", k, std::nullopt,
                   "X-Big: " + std::string(20 * 1024, 'h') + "\r\n"),
      431);
  {
    std::string many;
    for (int i = 0; i < 400; ++i) many += "X-H" + std::to_string(i) + ": " + std::string(60, 'v') + "\r\n";
    add("400 headers", http_request("GET", "/products", k, std::nullopt, many), 431);
  }
  add("target 20 KiB", http_request("GET", "/products/" + std::string(20 * 1024, 'a'), k), 431);
  add("body 7 MB announced",
      "POST " + cart + " HTTP/1.1\r\nHost: x\r\nx-api-key: " + k +
          "\r\nContent-Length: 7340032\r\n\r\n",
      413);
  add("body 6 MiB + 1 sent",
      http_request("POST", cart, k, std::string(6 * 1024 * 1024 + 1, ' ')), 413);
  add("chunk of 7 MB announced",
      "POST " + cart + " HTTP/1.1\r\nHost: x\r\nx-api-key: " + k +
          "\r\nTransfer-Encoding: chunked\r\n\r\n700000\r\n" + std::string(1024, 'a'),
      413);
  add("Content-Length -1",
      "POST " + cart + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}", 400);
  add("Content-Length 30 digits",
      "POST " + cart + " HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999999999999999999999\r\n\r\n{}",
      400);
  add("two Content-Lengths",
      "POST " + cart + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}",
      400);
  add("bad chunk size",
      "POST " + cart + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      400);
  add("garbage request line", "HELLO\r\n\r\n", 400);
  add("binary garbage", std::string("\x00\xff\x13\x37\r\n\r\n", 8), 400);
  add("TLS ClientHello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400);
  add("header without colon", "GET /health HTTP/1.1\r\nHost x\r\n\r\n", 400);
  add("bad header name", "GET /health HTTP/1.1\r\nHo(st: x\r\n\r\n", 400);
  add("space in target", "GET /pro ducts HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  add("HTTP/9.9", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n", 400);
  return c;
}

}  // namespace cartflow::testing
