// SPDX-License-Identifier: Apache-2.0
// cartflow's storefront: plain JavaScript over the public API (docs/API.md), same origin.
// The API key is asked for once and kept in localStorage, never in the page's source.
"use strict";

const PAGE_SIZE = 8;
const KEY_STORE = "cartflow.apiKey";
const USER_STORE = "cartflow.userId";
const $ = (id) => document.getElementById(id);

const state = {
  catalog: [],          // the whole catalog (for categories, names and prices)
  pageTokens: [null],   // next_token of each server page seen (All); index = page number
  page: 0,
  pageItems: [],
  hasNext: false,
  cart: [],
  orders: [],
};

// The order's refusals that mean the server's cart is not the one the page shows.
const CART_CHANGED_CODES = ["CART_CHANGED", "ITEM_NOT_IN_CART", "QUANTITY_MISMATCH"];

class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
}

// A message a shopper can act on, for each error the API answers.
function describe(status, body) {
  const code = body && body.code;
  const text = (body && body.message) || `HTTP ${status}`;
  if (status === 403) return "The API key was refused (403): enter a valid key.";
  if (status === 429) return "Too many requests (429): the key's usage plan limits it; try again in a moment.";
  if (code === "ORDER_TOTAL_MISMATCH") {
    return `The total changed (422): the server computes ${money(body.computed_total)}. Check the cart and order again.`;
  }
  if (CART_CHANGED_CODES.includes(code)) {
    const when = status === 409 ? "while the order was placed" : "elsewhere";
    return `The cart changed ${when} (${status} ${code}): nothing was ordered. The cart is shown as it is now; review it and order again.`;
  }
  if (code === "ORDER_NOT_CANCELLABLE") return "This order can no longer be cancelled (409).";
  return `${text} (${status}${code ? " " + code : ""})`;
}

function money(cents) {
  if (typeof cents !== "number") return "";
  return "$" + (cents / 100).toFixed(2);
}

function apiKey() { return localStorage.getItem(KEY_STORE) || ""; }
function userId() { return $("user").value.trim(); }

async function api(method, path, body) {
  const headers = { "x-api-key": apiKey() };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { message: "The server cannot be reached" });
  }
  let parsed = null;
  const text = await response.text();
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

function showError(error) {
  const banner = $("error");
  banner.textContent = error.message || String(error);
  banner.classList.remove("hidden");
  $("notice").classList.add("hidden");
  if (error.status === 403) askForKey();
}
function showNotice(text) {
  $("notice").textContent = text;
  $("notice").classList.remove("hidden");
  $("error").classList.add("hidden");
}
function clearBanners() {
  $("error").classList.add("hidden");
}

// Runs an action, showing its error instead of failing silently.
async function guarded(action) {
  try {
    clearBanners();
    await action();
  } catch (e) {
    showError(e);
  }
}

function askForKey() {
  const dialog = $("key-dialog");
  if (!dialog.open) {
    $("key-input").value = "";
    dialog.showModal();
  }
}

// A colored tile with the product's initials: the catalog's picture URLs are not fetched (the
// shop works with no network other than this server).
function thumb(element, product) {
  let hash = 0;
  for (const c of product.productId || "") hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  element.style.background = `hsl(${hash % 360}, 45%, 48%)`;
  element.textContent = (product.name || "?").split(/\s+/).map((w) => w[0]).join("").slice(0, 2);
}

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) node.append(child);
  return node;
}

async function loadCatalog() {
  const all = await api("GET", "/products");
  state.catalog = all.products || [];
  const categories = [...new Set(state.catalog.map((p) => p.category).filter(Boolean))].sort();
  const select = $("category");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "", textContent: "All" }),
    ...categories.map((c) => el("option", { value: c, textContent: c })));
  select.value = categories.includes(chosen) ? chosen : "";
}

// One page: the server's paging (limit, next_token) for All; a category is filtered from the
// whole catalog and paged here.
async function loadPage() {
  const category = $("category").value;
  if (category) {
    const matching = state.catalog.filter((p) => p.category === category);
    state.pageItems = matching.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
    state.hasNext = (state.page + 1) * PAGE_SIZE < matching.length;
  } else {
    const token = state.pageTokens[state.page];
    const query = `?limit=${PAGE_SIZE}` + (token ? `&next_token=${encodeURIComponent(token)}` : "");
    const result = await api("GET", "/products" + query);
    state.pageItems = result.products || [];
    state.hasNext = Boolean(result.next_token);
    state.pageTokens[state.page + 1] = result.next_token || null;
  }
  renderProducts();
}

function renderProducts() {
  const grid = $("products");
  grid.replaceChildren(...state.pageItems.map((p) => {
    const tile = el("div", { className: "thumb" });
    thumb(tile, p);
    const card = el("div", { className: "product" },
      tile,
      el("h3", { textContent: p.name }),
      el("div", {}, el("span", { className: "price", textContent: money(p.price) }), " ",
        el("span", { className: "tag", textContent: p.category || "" })),
      el("div", { className: "row" },
        el("button", { className: "plain", textContent: "Details", onclick: () => guarded(() => openProduct(p.productId)) }),
        el("button", { textContent: "Add", onclick: () => guarded(() => addToCart(p.productId, 1)) })));
    card.dataset.productId = p.productId;
    return card;
  }));
  $("prev").disabled = state.page === 0;
  $("next").disabled = !state.hasNext;
  $("page").textContent = `Page ${state.page + 1}`;
}

let detailProduct = null;
async function openProduct(productId) {
  const p = await api("GET", "/products/" + encodeURIComponent(productId));
  detailProduct = p;
  thumb($("detail-thumb"), p);
  $("detail-name").textContent = p.name;
  $("detail-description").textContent = p.description || "";
  $("detail-price").textContent = money(p.price);
  $("detail-category").textContent = p.category || "";
  $("detail-tags").replaceChildren(...(p.tags || []).map((t) => el("span", { className: "tag", textContent: t }), " "));
  const pkg = p.package || {};
  $("detail-package").textContent = pkg.weight ? `Package ${pkg.length} x ${pkg.width} x ${pkg.height} mm, ${pkg.weight} g` : "";
  $("detail-quantity").value = 1;
  $("product-dialog").showModal();
}

function productOf(id) { return state.catalog.find((p) => p.productId === id); }

async function addToCart(productId, quantity) {
  if (!userId()) throw new Error("Enter a user id first.");
  await api("POST", "/cart/" + encodeURIComponent(userId()), { product_id: productId, quantity });
  await loadCart();
  showNotice(`Added ${productOf(productId)?.name || productId} to the cart.`);
}

async function loadCart() {
  if (!userId()) { state.cart = []; renderCart(); return; }
  const result = await api("GET", "/cart/" + encodeURIComponent(userId()));
  state.cart = result.cart_items || [];
  renderCart();
}

function cartTotal() {
  return state.cart.reduce((sum, item) => sum + (productOf(item.productId)?.price || 0) * item.quantity, 0);
}

function renderCart() {
  const body = $("cart");
  if (state.cart.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { className: "muted", textContent: "The cart is empty." })));
  } else {
    body.replaceChildren(...state.cart.map((item) => {
      const product = productOf(item.productId);
      const qty = el("input", { type: "number", min: 1, max: 1000, value: item.quantity, className: "qty" });
      qty.onchange = () => guarded(() => addToCart(item.productId, Number(qty.value)));
      const row = el("tr", {},
        el("td", { textContent: product ? product.name : item.productId }),
        el("td", {}, qty),
        el("td", { className: "num", textContent: money((product?.price || 0) * item.quantity) }),
        el("td", {}, el("button", { className: "danger", textContent: "Remove",
          onclick: () => guarded(() => removeFromCart(item.productId)) })));
      row.dataset.productId = item.productId;
      return row;
    }));
  }
  $("cart-total").textContent = money(cartTotal());
  $("place-order").disabled = state.cart.length === 0;
}

async function removeFromCart(productId) {
  await api("DELETE", `/cart/${encodeURIComponent(userId())}/${encodeURIComponent(productId)}`);
  await loadCart();
}

// The order carries the total the page shows; the server computes its own and refuses a
// different one (422 ORDER_TOTAL_MISMATCH), so a shopper never pays a total they did not see.
// The button is off while the order is on its way, so a double click orders once. When the
// server's cart is not the one shown (409 CART_CHANGED, 422 ITEM_NOT_IN_CART or
// QUANTITY_MISMATCH), the cart is loaded again before the error is shown.
async function placeOrder() {
  $("place-order").disabled = true;
  let order;
  try {
    order = await api("POST", "/order", {
      user_id: userId(),
      order_total: cartTotal(),
      order_items: state.cart.map((i) => ({ productId: i.productId, quantity: i.quantity })),
    });
  } catch (e) {
    if (CART_CHANGED_CODES.includes(e.body && e.body.code)) {
      await loadCart().catch(() => {});
    }
    renderCart();
    throw e;
  }
  showNotice(`Order ${order.order_id} placed: ${money(order.order_total)} (computed by the server).`);
  await Promise.all([loadCart(), loadOrders()]);
}

async function loadOrders() {
  if (!userId()) { state.orders = []; renderOrders(); return; }
  const result = await api("GET", `/users/${encodeURIComponent(userId())}/orders?limit=20`);
  state.orders = result.orders || [];
  renderOrders();
}

function renderOrders() {
  const body = $("orders");
  if (state.orders.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { className: "muted", textContent: "No orders yet." })));
    return;
  }
  body.replaceChildren(...state.orders.map((o) => {
    const items = (o.order_items || []).map((i) => `${i.quantity} x ${i.name || i.productId}`).join(", ");
    const actions = el("td", {});
    if (o.order_status === "ORDERED") {
      actions.append(el("button", { className: "danger", textContent: "Cancel",
        onclick: () => guarded(() => cancelOrder(o.order_id)) }));
    }
    const row = el("tr", {},
      el("td", {}, el("div", { textContent: new Date(o.order_date).toLocaleString() }),
        el("div", { className: "muted", textContent: items })),
      el("td", { className: "num", textContent: money(o.order_total) }),
      el("td", { className: "status-" + o.order_status, textContent: o.order_status }),
      actions);
    row.dataset.orderId = o.order_id;
    row.dataset.status = o.order_status;
    return row;
  }));
}

async function cancelOrder(orderId) {
  await api("POST", `/orders/${encodeURIComponent(orderId)}/cancel`);
  showNotice(`Order ${orderId} cancelled.`);
  await loadOrders();
}

// The first page of All does not wait for the whole catalog (one round trip less before the
// products are drawn); a category's page, the cart's names and prices do.
async function refreshAll() {
  state.page = 0;
  state.pageTokens = [null];
  const catalog = loadCatalog();
  const page = $("category").value ? catalog.then(loadPage) : loadPage();
  await Promise.all([page, catalog.then(() => Promise.all([loadCart(), loadOrders()]))]);
}

function init() {
  const params = new URLSearchParams(location.search);
  $("user").value = params.get("user") || localStorage.getItem(USER_STORE) || "shopper1";
  $("user").onchange = () => {
    localStorage.setItem(USER_STORE, userId());
    guarded(() => Promise.all([loadCart(), loadOrders()]));
  };
  $("category").onchange = () => { state.page = 0; guarded(loadPage); };
  $("prev").onclick = () => { if (state.page > 0) { state.page--; guarded(loadPage); } };
  $("next").onclick = () => { if (state.hasNext) { state.page++; guarded(loadPage); } };
  $("place-order").onclick = () => guarded(placeOrder);
  $("change-key").onclick = (e) => { e.preventDefault(); askForKey(); };
  $("key-form").onsubmit = () => {
    localStorage.setItem(KEY_STORE, $("key-input").value.trim());
    guarded(refreshAll);
  };
  $("detail-close").onclick = () => $("product-dialog").close();
  $("detail-add").onclick = () => guarded(async () => {
    await addToCart(detailProduct.productId, Number($("detail-quantity").value));
    $("product-dialog").close();
  });
  renderCart();
  renderOrders();
  if (!apiKey()) askForKey(); else guarded(refreshAll);
}

init();
