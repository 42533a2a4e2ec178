// SPDX-License-Identifier: Apache-2.0
// The storefront (/) and the console (/console) in headless Chromium, driven by puppeteer-core,
// against a real `cartflow serve` started here on a fresh database and a free port.
// Usage: node browser_test.mjs CARTFLOW_BINARY SEED_HELPER SCENARIO [embedded|aws]
//   SCENARIO: shopping | cancellation | errors | console_pipeline | dlq_redrive | refused_key |
//             screenshots:DIR (writes DIR/web-storefront.png and DIR/web-console.png)
// Exit 0 on success, 1 on a failed check, 77 when Chromium or puppeteer-core is missing.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { check, newPage, runWithServe } from "./serve.mjs";

const [binary, seedHelper, scenario, backend = "embedded"] = process.argv.slice(2);
const failures = [];

const text = (page, selector) => page.$eval(selector, (e) => e.textContent.trim());
const money = (cents) => "$" + (cents / 100).toFixed(2);

// Opens the shop as `user`, entering `key` in the dialog the page shows on its first visit.
async function openShop(browser, serve, user, key = serve.apiKey) {
  const page = await newPage(browser, failures);
  await page.goto(`${serve.url}/?user=${user}`);
  await page.waitForSelector("#key-dialog[open]");
  await page.type("#key-input", key);
  await page.click("#key-save");
  return page;
}

async function openConsole(browser, serve, key = serve.adminKey) {
  const page = await newPage(browser, failures);
  await page.goto(`${serve.url}/console`);
  await page.waitForSelector("#key-dialog[open]");
  await page.type("#key-input", key);
  await page.click("#key-dialog button[type=submit]");
  return page;
}

async function cartRows(page) {
  return page.$$eval("#cart tr[data-product-id]", (rows) => rows.map((r) => ({
    id: r.dataset.productId, quantity: Number(r.querySelector("input").value) })));
}

async function waitForCart(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll("#cart tr[data-product-id]").length === n, {}, count);
}

async function shopping(browser, serve) {
  const catalog = (await serve.api("GET", "/products")).body.products;
  const price = (id) => catalog.find((p) => p.productId === id).price;
  const page = await openShop(browser, serve, "alice");
  await page.waitForFunction(() => document.querySelectorAll("#products .product").length === 8);

  // Paging: the server's pages through next_token, and back.
  const first = await page.$$eval("#products .product", (ps) => ps.map((p) => p.dataset.productId));
  await page.click("#next");
  await page.waitForFunction((id) => !document.querySelector(`#products [data-product-id="${id}"]`), {}, first[0]);
  check((await text(page, "#page")) === "Page 2", "second page");
  const second = await page.$$eval("#products .product", (ps) => ps.map((p) => p.dataset.productId));
  check(second.every((id) => !first.includes(id)), "page 2 shows other products");
  await page.click("#prev");
  await page.waitForFunction((id) => Boolean(document.querySelector(`#products [data-product-id="${id}"]`)), {}, first[0]);

  // Category filter: only that category's products.
  const category = catalog[0].category;
  await page.select("#category", category);
  await page.waitForFunction((c) => [...document.querySelectorAll("#products .product .tag")]
    .every((t) => t.textContent === c), {}, category);
  const shown = await page.$$eval("#products .product", (ps) => ps.map((p) => p.dataset.productId));
  const expected = catalog.filter((p) => p.category === category).map((p) => p.productId).slice(0, 8);
  check(JSON.stringify(shown.sort()) === JSON.stringify(expected.sort()), "category filter");

  // A product page, adding 3 of it.
  const a = shown[0];
  await page.click(`#products [data-product-id="${a}"] button.plain`);
  await page.waitForSelector("#product-dialog[open]");
  check((await text(page, "#detail-name")) === catalog.find((p) => p.productId === a).name, "product page");
  await page.$eval("#detail-quantity", (e) => { e.value = ""; });
  await page.type("#detail-quantity", "3");
  await page.click("#detail-add");
  await waitForCart(page, 1);

  // Two more from All, then a quantity change and a removal.
  await page.select("#category", "");
  await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`#products [data-product-id="${id}"]`))
    && document.querySelectorAll("#products .product").length === 8, {}, first);
  const [b, c] = first.filter((id) => id !== a);
  await page.click(`#products [data-product-id="${b}"] button:not(.plain)`);
  await waitForCart(page, 2);
  await page.click(`#products [data-product-id="${c}"] button:not(.plain)`);
  await waitForCart(page, 3);
  // The cart is drawn again once the server has the new quantity: wait for the new rows.
  await page.$eval("#cart", (body) => { body.dataset.stale = "1"; for (const r of body.rows) r.dataset.stale = "1"; });
  const qty = await page.$(`#cart tr[data-product-id="${b}"] input`);
  await qty.click({ clickCount: 3 });
  await qty.type("2");
  await page.keyboard.press("Tab");  // change event
  await page.waitForFunction((id) => {
    const row = document.querySelector(`#cart tr[data-product-id="${id}"]`);
    return row && !row.dataset.stale && row.querySelector("input").value === "2";
  }, {}, b);
  await page.click(`#cart tr[data-product-id="${c}"] button.danger`);
  await waitForCart(page, 2);
  const rows = await cartRows(page);
  check(rows.find((r) => r.id === a)?.quantity === 3 && rows.find((r) => r.id === b)?.quantity === 2, "cart quantities");
  const server = (await serve.api("GET", "/cart/alice")).body.cart_items;
  check(server.length === 2 && server.find((i) => i.productId === b).quantity === 2, "the server's cart");
  const total = 3 * price(a) + 2 * price(b);
  check((await text(page, "#cart-total")) === money(total), "cart total shown");

  // The order: the server's total, the history, an empty cart.
  await page.click("#place-order");
  await page.waitForFunction(() => document.querySelector("#notice").textContent.includes("placed"));
  check((await text(page, "#notice")).includes(money(total)), "order notice shows the server's total");
  await page.waitForSelector('#orders tr[data-status="ORDERED"]');
  await waitForCart(page, 0);
  const orders = (await serve.api("GET", "/users/alice/orders")).body.orders;
  check(orders.length === 1 && orders[0].order_total === total && orders[0].order_status === "ORDERED",
    "the order as the server has it");
}

async function cancellation(browser, serve) {
  const product = (await serve.api("GET", "/products?limit=1")).body.products[0];
  check((await serve.api("POST", "/cart/bob", { product_id: product.productId, quantity: 1 })).status === 200, "add");
  const page = await openShop(browser, serve, "bob");
  await waitForCart(page, 1);
  await page.click("#place-order");
  await page.waitForSelector('#orders tr[data-status="ORDERED"] button.danger');
  await page.click('#orders tr[data-status="ORDERED"] button.danger');
  await page.waitForSelector('#orders tr[data-status="CANCELLED"]');
  check(!(await page.$('#orders tr[data-status="CANCELLED"] button')), "no cancel button on a cancelled order");
  const orders = (await serve.api("GET", "/users/bob/orders")).body.orders;
  check(orders.length === 1 && orders[0].order_status === "CANCELLED", "cancelled on the server");
}

// The order's refusals, each explained in the banner with nothing ordered: a total the server
// does not compute (422 ORDER_TOTAL_MISMATCH), an item removed elsewhere (422 ITEM_NOT_IN_CART),
// a cart item changed while the order is placed (409 CART_CHANGED).
async function errors(browser, serve) {
  // The 409 race below re-adds an item as fast as it can: with its own key, not to be throttled.
  await serve.stop();
  const racer = serve.keys("create", "--name", "racer", "--rate", "100000", "--burst", "100000")
    .trim().split("\n").pop();
  await serve.start();
  const products = (await serve.api("GET", "/products?limit=2")).body.products;
  const item = { product_id: products[0].productId, quantity: 2 };
  await serve.api("POST", "/cart/carol", item);
  const page = await openShop(browser, serve, "carol");
  await waitForCart(page, 1);
  const orders = async () => (await serve.api("GET", "/users/carol/orders")).body.orders.length;

  // The page's copy of the catalog is stale: its total is not the server's.
  await page.evaluate((id) => { state.catalog.find((p) => p.productId === id).price += 100; renderCart(); },
    products[0].productId);
  await page.click("#place-order");
  await page.waitForSelector("#error:not(.hidden)");
  const mismatch = await text(page, "#error");
  check(mismatch.startsWith(`The total changed (422): the server computes ${money(2 * products[0].price)}.`),
    "422 explained: " + mismatch);
  check((await orders()) === 0, "no order placed");

  // The item is removed elsewhere while the page still shows it: explained, and the cart shown
  // again as the server has it (empty).
  await page.evaluate((id) => { state.catalog.find((p) => p.productId === id).price -= 100; renderCart(); },
    products[0].productId);
  await serve.api("DELETE", `/cart/carol/${products[0].productId}`);
  await page.click("#place-order");
  await page.waitForFunction((before) => document.querySelector("#error").textContent !== before, {}, mismatch);
  const removed = await text(page, "#error");
  check(removed.startsWith("The cart changed elsewhere (422 ITEM_NOT_IN_CART): nothing was ordered."),
    "a removed item explained: " + removed);
  await waitForCart(page, 0);
  check((await orders()) === 0, "still no order");

  // 409: the item is re-added (a new incarnation, the same quantity) again and again while the
  // page orders it; an order that read one incarnation and claims when a newer one is there is
  // refused. Each order is a real race (about one in four was refused here), so the page orders
  // until one is, at most 200 times; the others are placed.
  let racing = true;
  const readd = async () => { while (racing) await serve.api("POST", "/cart/carol", item, racer); };
  const loops = [readd(), readd(), readd(), readd()];
  let refused = null;
  let placed = 0;
  try {
    for (let attempt = 0; attempt < 200 && !refused; attempt++) {
      await page.waitForFunction(async () => { await loadCart(); return !$("place-order").disabled; },
        { polling: 100 });
      await page.$eval("#notice", (e) => { e.textContent = ""; });
      await page.$eval("#error", (e) => { e.textContent = ""; });
      await page.click("#place-order");
      await page.waitForFunction(() => $("notice").textContent || $("error").textContent);
      const error = await text(page, "#error");
      if (error.includes("(409")) refused = error;
      else if (error) check(error.startsWith("The cart changed elsewhere (422"), "an order refused: " + error);
      else placed++;
    }
  } finally {
    racing = false;
    await Promise.all(loops);
  }
  check(refused !== null, `no 409 in 200 orders racing a re-add (${placed} placed)`);
  console.log(`409 after ${placed} orders placed`);
  check(refused.startsWith("The cart changed while the order was placed (409 CART_CHANGED): nothing was ordered."),
    "409 explained: " + refused);
  check((await orders()) === placed, "only the orders the page said were placed");
}

async function consolePipeline(browser, serve) {
  const page = await openConsole(browser, serve);
  await page.waitForFunction(() => document.querySelector("#t-orders").textContent === "0");
  const product = (await serve.api("GET", "/products?limit=1")).body.products[0];
  await serve.api("POST", "/cart/dave", { product_id: product.productId, quantity: 1 });
  const placed = await serve.api("POST", "/order", { user_id: "dave" });
  check(placed.status === 201, "order placed");
  // The order passes the stream mapping, process-cart-products, the queue, update-cart-status.
  await page.waitForFunction(() => document.querySelector("#t-orders").textContent === "1" &&
    document.querySelector("#t-stream").textContent === "1" &&
    document.querySelector("#t-queue").textContent === "1", { timeout: 60000 });
  const cart = (await serve.api("GET", "/cart/dave")).body.cart_items;
  check(cart.length === 0, "cart items ORDERED");
  await page.waitForFunction(() => document.querySelectorAll("#c-rate polyline").length > 0 &&
    document.querySelectorAll("#c-latency polyline").length > 0);
  const keys = await page.$$eval("#keys tr[data-key-id]", (rs) => rs.map((r) => r.children[2].textContent));
  check(keys.includes("api") && keys.includes("admin"), "keys listed: " + keys);
  // A key made in the console works in the API until it is revoked there.
  await page.type("#new-key-name", "partner");
  await page.click("#create-key button");
  await page.waitForSelector("#new-secret:not(.hidden)");
  const secret = (await text(page, "#new-secret")).split(": ").pop();
  check((await serve.api("GET", "/products?limit=1", undefined, secret)).status === 200, "new key works");
  const id = (await text(page, "#new-secret")).split(" ")[1];
  await page.click(`#keys tr[data-key-id="${id}"] button.danger`);
  await page.waitForSelector(`#keys tr[data-key-id="${id}"][data-state="revoked"]`);
  check((await serve.api("GET", "/products?limit=1", undefined, secret)).status === 403, "revoked key refused");
}

// A real order's message: placed, through the pipeline, then put back as a dead letter while
// the server is stopped; the server is started again. Returns the order.
async function seedDeadLetter(serve, user) {
  const product = (await serve.api("GET", "/products?limit=1")).body.products[0];
  await serve.api("POST", `/cart/${user}`, { product_id: product.productId, quantity: 2 });
  const order = (await serve.api("POST", "/order", { user_id: user })).body;
  await serve.stop();
  const image = {
    order_id: { S: order.order_id }, user_id: { S: order.user_id }, order_status: { S: "ORDERED" },
    order_items: { L: order.order_items.map((i) => ({ M: {
      productId: { S: i.productId }, addedOn: { S: i.addedOn }, quantity: { N: String(i.quantity) } } })) },
  };
  const seeded = spawnSync(seedHelper, [serve.db, "UpdateCartProductsDLQ"], { input: JSON.stringify(image), encoding: "utf8" });
  check(seeded.status === 0, "seeded: " + seeded.stderr);
  await serve.start();
  return order;
}

async function dlqRedrive(browser, serve) {
  const order = await seedDeadLetter(serve, "erin");

  const page = await openConsole(browser, serve);
  await page.waitForFunction(() => document.querySelector("#t-dlq").textContent === "1");
  await page.click('#queues tr[data-role="dead_letter"] button.plain');
  await page.waitForFunction((id) => document.querySelector("#messages").textContent.includes(id), {}, order.order_id);
  await page.click('#queues tr[data-role="dead_letter"] button:not(.plain)');
  await page.waitForFunction(() => document.querySelector("#notice").textContent.includes("Moved 1 message"));
  await page.waitForFunction(() => document.querySelector("#t-dlq").textContent === "0" &&
    document.querySelector("#t-queue").textContent === "1", { timeout: 60000 });
  const dlq = serve.run("dlq", "list");
  check(dlq.startsWith("0 message(s)"), "the DLQ is empty: " + dlq);
}

async function refusedKey(browser, serve) {
  // A wrong key in the shop: the page says so and asks again.
  const shop = await openShop(browser, serve, "frank", "not-a-key");
  await page_error(shop, "refused (403)");
  await shop.waitForSelector("#key-dialog[open]");
  // The storefront's key cannot open the console, nor the admin key the API.
  const console_ = await openConsole(browser, serve, serve.apiKey);
  await page_error(console_, "admin key was refused (403)");
  check((await serve.api("GET", "/products", undefined, serve.adminKey)).status === 403, "admin key refused by the API");
  const direct = await fetch(serve.url + "/console/api/keys", { headers: { "x-api-key": serve.apiKey } });
  check(direct.status === 403, "console API refuses a storefront key");
  // A key over its usage plan (burst 1): the page's first requests get 429, explained.
  await serve.stop();
  const slow = serve.keys("create", "--name", "slow", "--rate", "0.01", "--burst", "1").trim().split("\n").pop();
  await serve.start();
  const throttled = await openShop(browser, serve, "frank", slow);
  await page_error(throttled, "Too many requests (429): the key's usage plan limits it");
}

async function page_error(page, fragment) {
  await page.waitForFunction((f) => document.querySelector("#error").textContent.includes(f), {}, fragment);
}

// docs/web-storefront.png: an order just placed in the page (its notice, the history), two more
// products in the cart. docs/web-console.png: the pipeline and the charts while orders and
// catalog reads keep coming, a dead letter's body shown.
async function screenshots(browser, serve, dir) {
  const products = (await serve.api("GET", "/products?limit=3")).body.products;
  await serve.api("POST", "/cart/shopper1", { product_id: products[0].productId, quantity: 2 });
  const shop = await openShop(browser, serve, "shopper1");
  await waitForCart(shop, 1);
  await shop.click("#place-order");
  await shop.waitForSelector('#orders tr[data-status="ORDERED"]');
  for (const [i, p] of products.slice(1).entries()) {
    await serve.api("POST", "/cart/shopper1", { product_id: p.productId, quantity: i + 1 });
  }
  await shop.evaluate(() => loadCart());
  await waitForCart(shop, 2);
  await shop.setViewport({ width: 1280, height: 600 });
  await shop.screenshot({ path: path.join(dir, "web-storefront.png") });

  await seedDeadLetter(serve, "erin");
  const con = await openConsole(browser, serve);
  let traffic = true;
  const shoppers = (async () => {
    for (let second = 0; traffic; second++) {
      for (let i = 0; i < 5 + 3 * (second % 4); i++) await serve.api("GET", "/products?limit=5");
      for (const p of products.slice(0, 1 + (second % 3))) {  // 1 to 3 cart items per order
        await serve.api("POST", `/cart/u${second}`, { product_id: p.productId, quantity: 1 });
      }
      await serve.api("POST", "/order", { user_id: `u${second}` });
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  try {
    await new Promise((r) => setTimeout(r, 16000));  // some sampled seconds for the charts
    await con.click('#queues tr[data-role="dead_letter"] button.plain');
    await con.waitForSelector("#messages pre");
    await new Promise((r) => setTimeout(r, 2500));  // the next poll's figures
    await con.screenshot({ path: path.join(dir, "web-console.png"), fullPage: true });
  } finally {
    traffic = false;
    await shoppers;
  }
}

const scenarios = {
  shopping, cancellation, errors, console_pipeline: consolePipeline, dlq_redrive: dlqRedrive,
  refused_key: refusedKey,
};

await runWithServe(binary, `${scenario} (${backend})`, async (browser, serve) => {
  if (scenario.startsWith("screenshots:")) {
    await screenshots(browser, serve, scenario.slice("screenshots:".length));
  } else {
    if (!scenarios[scenario]) throw new Error("unknown scenario " + scenario);
    await scenarios[scenario](browser, serve);
  }
  if (failures.length) throw new Error(failures.join("\n"));
}, backend);
