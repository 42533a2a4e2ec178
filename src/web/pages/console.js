// SPDX-License-Identifier: Apache-2.0
// cartflow's operations console: polls /console/api/* (web/console_api.h) with an admin key kept
// in localStorage, and draws the pipeline, the queues, the keys and the charts.
"use strict";

const ADMIN_KEY_STORE = "cartflow.adminKey";
const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
let shownQueue = null;  // the queue whose messages are listed
let polling = null;
const drawn = {};  // what each table shows now, as JSON: redrawn only when it changes

// True when `data` differs from what `name` shows (and records it): a poll that brings nothing
// new leaves the table alone, so a click or a selection in it is never lost to a redraw.
function changed(name, data) {
  const json = JSON.stringify(data);
  if (drawn[name] === json) return false;
  drawn[name] = json;
  return true;
}

function adminKey() { return localStorage.getItem(ADMIN_KEY_STORE) || ""; }

async function consoleApi(method, path, body) {
  const init = { method, headers: { "x-api-key": adminKey() } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch("/console/api/" + path, init);
  } catch (e) {
    throw Object.assign(new Error("The server cannot be reached"), { status: 0 });
  }
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = { message: text }; }
  if (!response.ok) {
    const message = response.status === 403
      ? "The admin key was refused (403): the console needs a key made by `cartflow keys create --admin`."
      : `${(parsed && parsed.message) || "HTTP " + response.status} (${response.status})`;
    throw Object.assign(new Error(message), { status: response.status });
  }
  return parsed;
}

function showError(error) {
  $("error").textContent = error.message;
  $("error").classList.remove("hidden");
  if (error.status === 403) {
    stopPolling();
    askForKey();
  }
}
function showNotice(text) {
  $("notice").textContent = text;
  $("notice").classList.remove("hidden");
}
async function guarded(action) {
  try { await action(); } catch (e) { showError(e); }
}

function askForKey() {
  if (!$("key-dialog").open) {
    $("key-input").value = "";
    $("key-dialog").showModal();
  }
}

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) node.append(child);
  return node;
}

function renderOverview(overview) {
  const totals = overview.totals;
  $("t-orders").textContent = totals.orders_placed;
  $("t-stream").textContent = totals.stream_records;
  $("t-queue").textContent = totals.queue_records;
  $("t-items").textContent = totals.items_ordered;
  $("t-lag").textContent = Math.round(totals.stream_lag_ms);
  const orders = overview.queues.find((q) => q.role === "orders");
  const dlq = overview.queues.find((q) => q.role === "dead_letter");
  $("t-flight").textContent = orders ? orders.in_flight : "-";
  $("t-dlq").textContent = dlq ? dlq.visible + dlq.in_flight : "-";
  if (!changed("queues", overview.queues)) return;
  $("queues").replaceChildren(...overview.queues.map((q) => {
    const buttons = el("div", { className: "row" },
      el("button", { className: "plain", textContent: "Messages", onclick: () => guarded(() => showMessages(q.role)) }));
    const actions = el("td", {}, buttons);
    if (q.redrive) {
      buttons.append(el("button", { textContent: "Redrive", disabled: !(q.visible + q.in_flight > 0),
        onclick: () => guarded(() => redrive(q.role)) }));
    }
    const row = el("tr", {},
      el("td", { textContent: q.name }),
      el("td", { textContent: q.role }),
      el("td", { className: "num", textContent: q.error ? "?" : q.visible }),
      el("td", { className: "num", textContent: q.error ? "?" : q.in_flight }),
      actions);
    row.dataset.role = q.role;
    return row;
  }));
}

function renderSeries(series) {
  const points = series.points;
  const times = points.map((p) => p.t);
  const pick = (name) => points.map((p) => p[name]);
  const recent = points.slice(-10);
  $("t-items-rate").textContent = recent.length ?
    (recent.reduce((sum, p) => sum + p.items, 0) / recent.length).toFixed(1) : "-";
  drawChart($("c-rate"), $("l-rate"), times, [
    { name: "requests", color: "#0b6bcb", values: pick("rps") },
    { name: "orders", color: "#1a7f37", values: pick("orders") },
    { name: "items ORDERED", color: "#9a6700", values: pick("items") },
  ], "/s");
  drawChart($("c-latency"), $("l-latency"), times, [
    { name: "p50", color: "#1a7f37", values: pick("p50") },
    { name: "p95", color: "#9a6700", values: pick("p95") },
    { name: "p99", color: "#cf222e", values: pick("p99") },
  ], " ms");
  drawChart($("c-pipeline"), $("l-pipeline"), times, [
    { name: "stream lag", color: "#8250df", values: pick("lag") },
    { name: "in flight", color: "#0b6bcb", values: pick("in_flight") },
    { name: "dead letters", color: "#cf222e", values: pick("dlq") },
  ], "");
}

function renderKeys(result) {
  if (!changed("keys", result.keys)) return;
  $("keys").replaceChildren(...result.keys.map((k) => {
    const quota = k.quota > 0 ? `${k.quota_used} / ${k.quota} per ${k.period.toLowerCase()}` : "no quota";
    const actions = el("td", {});
    if (!k.revoked && !k.admin) {
      actions.append(el("button", { className: "danger", textContent: "Revoke",
        onclick: () => guarded(() => revoke(k.id)) }));
    }
    const row = el("tr", {},
      el("td", { textContent: k.id }), el("td", { textContent: k.name }),
      el("td", { textContent: k.admin ? "admin" : "api" }),
      el("td", { textContent: k.revoked ? "revoked" : "active" }),
      el("td", { className: "num", textContent: k.rate }), el("td", { className: "num", textContent: k.burst }),
      el("td", { textContent: quota }), actions);
    row.dataset.keyId = k.id;
    row.dataset.state = k.revoked ? "revoked" : "active";
    return row;
  }));
}

async function showMessages(role) {
  shownQueue = role;
  const result = await consoleApi("GET", `queues/${encodeURIComponent(role)}/messages`);
  if (!changed("messages", [role, result])) return;
  const list = result.messages.map((m) => {
    let body = m.body;
    try { body = JSON.stringify(JSON.parse(m.body), null, 2); } catch (e) { /* shown as sent */ }
    const item = el("div", { className: "message" },
      el("div", { className: "muted", textContent: `${m.message_id}, received ${m.receive_count} time(s), sent ${new Date(m.sent_ms).toLocaleTimeString()}` }),
      el("pre", { className: "body", textContent: body }));
    item.dataset.messageId = m.message_id;
    return item;
  });
  $("messages").replaceChildren(
    el("h2", { textContent: `${result.queue}: ${result.messages.length} message(s)` }), ...list);
  $("messages").dataset.role = role;
}

async function redrive(role) {
  const result = await consoleApi("POST", `queues/${encodeURIComponent(role)}/redrive`);
  showNotice(`Moved ${result.moved} message(s) back to the queue.`);
  await refresh();
}

async function revoke(id) {
  await consoleApi("POST", `keys/${encodeURIComponent(id)}/revoke`);
  showNotice(`Key ${id} revoked.`);
  renderKeys(await consoleApi("GET", "keys"));
}

async function createKey(event) {
  event.preventDefault();
  const created = await consoleApi("POST", "keys", {
    name: $("new-key-name").value.trim(),
    rate: Number($("new-key-rate").value),
    burst: Number($("new-key-burst").value),
  });
  $("new-secret").textContent = `Key ${created.key.id} created; its value, shown only now: ${created.secret}`;
  $("new-secret").classList.remove("hidden");
  $("new-key-name").value = "";
  renderKeys(await consoleApi("GET", "keys"));
}

async function refresh() {
  const [overview, series, keys] = await Promise.all([
    consoleApi("GET", "overview"), consoleApi("GET", "series"), consoleApi("GET", "keys")]);
  renderOverview(overview);
  renderSeries(series);
  renderKeys(keys);
  if (shownQueue) await showMessages(shownQueue);
  $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  $("error").classList.add("hidden");
}

function startPolling() {
  stopPolling();
  guarded(refresh);
  polling = setInterval(() => guarded(refresh), POLL_MS);
}
function stopPolling() {
  if (polling) clearInterval(polling);
  polling = null;
}

function init() {
  $("change-key").onclick = (e) => { e.preventDefault(); askForKey(); };
  $("key-form").onsubmit = () => {
    localStorage.setItem(ADMIN_KEY_STORE, $("key-input").value.trim());
    startPolling();
  };
  $("create-key").onsubmit = (e) => guarded(() => createKey(e));
  if (!adminKey()) askForKey(); else startPolling();
}

init();
