// SPDX-License-Identifier: Apache-2.0
// Page load of the storefront (/) and the console (/console) in headless Chromium on loopback,
// against a `cartflow serve` started here on a fresh database with the sample catalog (the
// browser tests' Serve). Each page is loaded LOADS times without the browser's cache (every file
// sent again) and LOADS times with it (the files revalidated: If-None-Match, 304), with the key
// already in localStorage, as on a return visit. Per load, from the Navigation Timing entry and
// the page's own clock (ms since the navigation started):
//   html:    responseEnd (the page's HTML received);
//   load:    loadEventEnd (the HTML, style.css and the scripts fetched and run);
//   content: the first data from the API drawn (a product card; the console's first tile).
// Usage: node bench/page_load.mjs CARTFLOW_BINARY OUT.json [LOADS]   (exit 77: no Chromium)
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { runWithServe } from "../tests/web/serve.mjs";

const [binary, out, loadsArg] = process.argv.slice(2);
const loads = Number(loadsArg || 20);

const pages = [
  { name: "storefront", path: "/?user=shopper1", store: "cartflow.apiKey", key: "apiKey",
    drawn: "#products .product" },
  { name: "console", path: "/console", store: "cartflow.adminKey", key: "adminKey",
    drawn: "#t-orders", notText: "-" },
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

// Runs in the page before its own scripts: stores the key, and notes when `selector` first
// matches an element whose text is not `notText`.
function instrument(store, key, selector, notText) {
  localStorage.setItem(store, key);
  const seen = () => {
    const e = document.querySelector(selector);
    if (e && e.textContent.trim() !== notText) {
      window.__drawnAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (seen()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true, characterData: true });
}

await runWithServe(binary, "page_load", async (browser, serve) => {
  const result = { loads, chromium: await browser.version(), cpus: cpus().length, pages: {} };
  for (const p of pages) {
    const page = await browser.newPage();
    await page.evaluateOnNewDocument(instrument, p.store, serve[p.key], p.drawn, p.notText ?? null);
    result.pages[p.name] = {};
    for (const cached of [false, true]) {
      await page.setCacheEnabled(cached);
      await page.goto(serve.url + p.path, { waitUntil: "load" });  // warm-up (and the cache)
      const html = [];
      const load = [];
      const content = [];
      for (let i = 0; i < loads; i++) {
        await page.goto(serve.url + p.path, { waitUntil: "load" });
        await page.waitForFunction(() => window.__drawnAt !== undefined);
        const t = await page.evaluate(() => ({
          html: performance.getEntriesByType("navigation")[0].responseEnd,
          load: performance.getEntriesByType("navigation")[0].loadEventEnd,
          content: window.__drawnAt,
        }));
        html.push(t.html);
        load.push(t.load);
        content.push(t.content);
      }
      result.pages[p.name][cached ? "cached" : "no_cache"] = {
        html: summary(html), load: summary(load), content: summary(content) };
    }
    await page.close();
  }
  result.loadavg_1min = loadavg()[0];  // the machine is shared: how busy it was
  writeFileSync(out, JSON.stringify(result, null, 1) + "\n");
  for (const [name, modes] of Object.entries(result.pages)) {
    for (const [mode, m] of Object.entries(modes)) {
      console.log(`${name} ${mode}: html p50 ${m.html.p50.toFixed(1)} ms; load p50 ${m.load.p50.toFixed(1)} ms, p95 ${m.load.p95.toFixed(1)} ms; ` +
        `content p50 ${m.content.p50.toFixed(1)} ms, p95 ${m.content.p95.toFixed(1)} ms`);
    }
  }
});
