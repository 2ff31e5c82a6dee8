// How a built site's list pages behave in Chromium: for each kind of page, the time from
// navigation until its first rows are painted and its controls work, the time from a click on
// a column heading to the next painted frame, and from a keystroke in its search field to the
// next painted frame. Median of RUNS (default 5). Asserts nothing: the figures are for the
// README's Performance section (scripts/bench.sh runs this when Chromium is present).
//
//   node scripts/browser_bench.mjs <site output folder> [runs]
//
// It serves the folder over HTTP itself (a plain static server, no live reload), in a fresh
// browser context per load, so every load is a first visit.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { launch } from "../tests/browser/chromium.mjs";

const [folder, runsText] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node scripts/browser_bench.mjs <site output folder> [runs]");
  process.exit(2);
}
const RUNS = Number(runsText || process.env.BROWSER_RUNS || 5);

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".svg": "image/svg+xml", ".csv": "text/csv", ".xml": "application/xml",
};
const server = createServer(async (request, response) => {
  let path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
  if (path.includes("..")) path = "/";
  let file = join(folder, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    response.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end("not found");
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const firstDir = async (under) => {
  const { readdir } = await import("node:fs/promises");
  const names = (await readdir(join(folder, under), { withFileTypes: true }))
    .filter((e) => e.isDirectory() && e.name !== "page").map((e) => e.name).sort();
  return names[0];
};
const idp = await firstDir("idps");
const category = await firstDir("categories");

// Each kind of page: where it is, what "its controls work" means, the heading to sort by and
// the field to type in.
const KINDS = [
  { name: "index", path: "/", table: "#vendors", sortColumn: 2, search: "#filter-q" },
  { name: `IdP page (${idp})`, path: `/idps/${idp}/`, table: "table.comparison", sortColumn: 2, search: "form.filters input[type=search]" },
  { name: "/scim-tax/", path: "/scim-tax/", table: "#ranking", sortColumn: 4, search: "#ranking-q" },
  { name: `category (${category})`, path: `/categories/${category}/`, table: "#vendors", sortColumn: 2, search: "#filter-q" },
  { name: "stack: vendor search", path: "/stack/", form: "#stack-form", search: "#stack-add" },
  { name: "compare: vendor search", path: "/compare/", form: "#compare-form", search: "#compare-add" },
];

// Installed before any of the page's scripts: records when the page is first ready (rows
// painted and controls working), after the frame that shows it.
const readyProbe = ({ table, form }) => {
  const ready = () => {
    if (form) {
      const f = document.querySelector(form);
      return f && !f.hidden;
    }
    const t = document.querySelector(table);
    if (!t || t.getAttribute("aria-busy") === "true") return false;
    const rows = t.tBodies[0] && t.tBodies[0].rows.length > 0;
    return rows && t.tHead.querySelector("button.sort");
  };
  const poll = () => {
    if (ready()) {
      setTimeout(() => { window.__readyAt = performance.now(); }, 0);
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
};

// Runs `action` in the page and returns the milliseconds until the frame after it is painted.
const timeToFrame = (page, action, arg) => page.evaluate(async ([source, value]) => {
  const act = new Function("value", source);
  const start = performance.now();
  act(value);
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - start;
}, [action, arg]);

const SORT = `const t = document.querySelector(value.table);
t.tHead.rows[0].cells[value.column].querySelector("button.sort").click();`;
const KEY = `const input = document.querySelector(value.search);
input.value += value.key;
input.dispatchEvent(new Event("input", { bubbles: true }));`;

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};

const browser = await launch();
const results = [];
for (const kind of KINDS) {
  const loads = [];
  const sorts = [];
  const keys = [];
  let bytes = (await stat(join(folder, kind.path, "index.html"))).size;
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(readyProbe, { table: kind.table, form: kind.form });
    await page.goto(origin + kind.path, { waitUntil: "commit", timeout: 120000 });
    await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 120000, polling: 50 });
    loads.push(await page.evaluate(() => window.__readyAt));
    if (kind.table && kind.sortColumn !== undefined) {
      sorts.push(await timeToFrame(page, SORT, { table: kind.table, column: kind.sortColumn }));
    }
    const hasSearch = await page.evaluate((s) => {
      const input = document.querySelector(s);
      return Boolean(input && input.offsetParent !== null);
    }, kind.search);
    if (hasSearch) {
      // A name's first letters, one keystroke at a time, as a reader types.
      keys.push(await timeToFrame(page, KEY, { search: kind.search, key: "n" }));
      keys.push(await timeToFrame(page, KEY, { search: kind.search, key: "o" }));
    }
    await context.close();
  }
  results.push({ kind: kind.name, bytes, load: median(loads), sort: median(sorts), key: median(keys) });
}
await browser.close();
server.close();

const ms = (value) => (value === null ? "n/a" : `${Math.round(value)} ms`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
console.log(`Chromium, ${RUNS} runs each (median); page = the HTML of the page's first view`);
console.log(`${"page".padEnd(28)} ${"page".padStart(9)} ${"ready".padStart(9)} ${"sort".padStart(9)} ${"keystroke".padStart(10)}`);
for (const r of results) {
  console.log(`${r.kind.padEnd(28)} ${mb(r.bytes).padStart(9)} ${ms(r.load).padStart(9)} ${ms(r.sort).padStart(9)} ${ms(r.key).padStart(10)}`);
}
