// Browser tests of the long lists on a large generated catalogue: with JavaScript, every sort
// and filter of the index, an identity provider's page, the SCIM tax ranking and a category
// page orders and matches the whole catalogue exactly as the generator's data says (checked on
// the first and the last page of each result), the view lives in the URL and comes back from
// it, and the rows the script draws are the generator's own markup. Without JavaScript, the
// page links reach every vendor in order. Never timed: scripts/browser_bench.mjs measures.
// Usage: node lists.mjs <site url> <site output folder>
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, check, report } from "./checks.mjs";
import { launch } from "./chromium.mjs";

const [url, folder] = process.argv.slice(2);
const at = (path) => new URL(path, url).href;
const json = (path) => JSON.parse(readFileSync(join(folder, path), "utf8"));
const script = (path, name) => {
  const text = readFileSync(join(folder, path), "utf8");
  const start = text.indexOf(`${name} = `) + name.length + 3;
  return JSON.parse(text.slice(start, text.lastIndexOf("}") + 1));
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const where = (a, b) => {
  const i = a.findIndex((x, n) => x !== b[n]);
  return `first difference at ${i}: ${a[i]} ≠ ${b[i]} (${a.length} vs ${b.length} rows)`;
};

// ---- The generator's data ------------------------------------------------------------------
const all = json("api/vendors.json");
const sizes = all.team_sizes;
const lists = script("api/lists.js", "window.scimfactsLists");
const PAGE = lists.page_size;
const order = lists.vendors.map((v) => v.slug); // the generator's order of names
const figures = new Map(all.vendors.map((v) => [v.slug, v]));
const records = new Map(order.map((slug) => [slug, json(`api/vendors/${slug}.json`).record]));
const listed = new Map(lists.vendors.map((v) => [v.slug, v]));

// What a vendor's row says at the team size sizes[i], as list.js's sort keys (null: unknown).
const atOf = (slug, feature, i) => {
  const v = figures.get(slug);
  const cost = v[`${feature}_cost`];
  const row = cost.rows.find((r) => r.users === sizes[i]);
  const extra = v[`${feature}_premium`].rows.find((r) => r.users === sizes[i]);
  return {
    plan: cost.status === "unavailable" ? null : row ? row.tier : cost.tier ?? null,
    annual: row ? row.annual : null,
    extra: extra ? extra.extra_per_year : null,
  };
};
// Amounts sort within their currency; the currencies in the order of their use, most first.
const uses = new Map();
for (const v of all.vendors) uses.set(v.currency, (uses.get(v.currency) || 0) + 1);
const currencyOrder = [...uses.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
const money = (slug, value) => (value === null || value === undefined ? null
  : { group: currencyOrder.indexOf(figures.get(slug).currency), value });
const fullScim = (slug) => {
  const idps = Object.values(records.get(slug).idps || {});
  const stated = idps.filter((s) => ["full", "jit", "none"].includes(s.scim));
  return stated.length > 0 ? idps.filter((s) => s.scim === "full").length : null;
};
const vendorKeys = (i) => [
  (slug) => order.indexOf(slug),
  (slug) => atOf(slug, "scim", i).plan,
  (slug) => money(slug, atOf(slug, "scim", i).annual),
  (slug) => money(slug, atOf(slug, "scim", i).extra),
  (slug) => money(slug, atOf(slug, "sso", i).annual),
  (slug) => money(slug, atOf(slug, "sso", i).extra),
  fullScim,
  (slug) => records.get(slug).verified ?? null,
];

// As list.js orders: unknown keys last whichever the direction, amounts by currency first
// whichever the direction, ties in the list's order.
const collator = new Intl.Collator("en", { numeric: true });
const empty = (k) => k === null || k === undefined || k === "";
const sortedBy = (slugs, key, desc) => {
  const keyed = slugs.map((slug, n) => {
    const k = key(slug);
    const grouped = k !== null && typeof k === "object";
    return { slug, n, group: grouped ? k.group : 0, key: grouped ? k.value : k };
  });
  keyed.sort((a, b) => {
    if (empty(a.key) || empty(b.key)) return empty(a.key) === empty(b.key) ? a.n - b.n : empty(a.key) ? 1 : -1;
    if (a.group !== b.group) return a.group - b.group;
    const o = typeof a.key === "number" && typeof b.key === "number" ? a.key - b.key : collator.compare(String(a.key), String(b.key));
    return o === 0 ? a.n - b.n : (desc ? -o : o);
  });
  return keyed.map((k) => k.slug);
};

// ---- Reading the page ----------------------------------------------------------------------
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on("pageerror", (err) => check(false, `script error: ${err.message}`));

const ready = async (table) => {
  await page.waitForFunction((t) => {
    const form = document.querySelector("form[data-list-filters]");
    return document.querySelector(`${t} thead button.sort`) && (!form || !form.hidden);
  }, table, { timeout: 60000 });
};
const open = async (path, table) => {
  await page.goto(at(path));
  await ready(table);
};
const shownSlugs = (table) => page.$$eval(`${table} tbody tr`, (rows) => rows.map((r) => r.dataset.slug));
const status = () => page.textContent("[data-list-status]");

// Checks the result `expected` (every slug, in order) against the page now shown (its first
// page) and, through the page links, its last; then comes back to the first.
const checkResult = async (table, expected, label) => {
  const first = await shownSlugs(table);
  check(same(first, expected.slice(0, PAGE)), `${label}, first page: ${where(first, expected.slice(0, PAGE))}`);
  const text = (await status()).replace(/\s+/g, " ");
  const total = expected.length.toLocaleString("en-US");
  check(expected.length === 0 ? text.startsWith("No ") : text.includes(` of ${total} `), `${label}: status "${text}" for ${total} rows`);
  const pages = Math.ceil(expected.length / PAGE);
  if (pages > 1) {
    await page.locator("[data-pagination] a", { hasText: new RegExp(`^${pages}$`) }).first().click();
    await ready(table);
    const last = await shownSlugs(table);
    const want = expected.slice((pages - 1) * PAGE);
    check(same(last, want), `${label}, last page (${pages}): ${where(last, want)}`);
    check(new URL(page.url()).search.includes(`page=${pages}`) || page.url().includes(`/page/${pages}/`), `${label}: the URL keeps the page: ${page.url()}`);
    await page.goBack();
    await ready(table);
    check(same(await shownSlugs(table), expected.slice(0, PAGE)), `${label}: Back returns to the first page`);
  }
};

try {
  // ---- The index: every column, both directions, at a team size that is not the first ----
  const i = 1; // sizes[1]
  const users = sizes[i];
  const keys = vendorKeys(i);
  const columns = await page.goto(at("./")).then(() => ready("#vendors")).then(() => page.$$eval("#vendors thead th", (ths) => ths.length));
  check(columns === keys.length, `the index has ${columns} columns`);
  check(same(await shownSlugs("#vendors"), order.slice(0, PAGE)), "the index's first page, unsorted, is the generator's");
  for (let c = 0; c < keys.length; c += 1) {
    for (const desc of [false, true]) {
      await open(`./?users=${users}&sort=${c + 1}${desc ? "&dir=desc" : ""}`, "#vendors");
      await checkResult("#vendors", sortedBy(order, keys[c], desc), `index at ${users} users by column ${c + 1}${desc ? ", descending" : ""}`);
    }
  }
  // A click sorts, a second reverses, and the URL says so.
  await open("./", "#vendors");
  await page.click("#vendors thead th:nth-child(3) button");
  await page.click("#vendors thead th:nth-child(3) button");
  check(new URL(page.url()).search === "?sort=3&dir=desc", `the URL after two clicks: ${page.url()}`);
  check(await page.getAttribute("#vendors thead th:nth-child(3)", "aria-sort") === "descending", "aria-sort says descending");
  await checkResult("#vendors", sortedBy(order, vendorKeys(0)[2], true), "index by SCIM per year, descending, by clicks");

  // Paging a sorted view stays on the page's own path, so every relative link still works;
  // Back and Forward show the page the address says.
  await page.click('[data-pagination] a[data-page="3"]');
  const third = new URL(page.url());
  check(third.pathname === new URL(at("./")).pathname && third.search === "?sort=3&dir=desc&page=3", `paging keeps the path: ${page.url()}`);
  const firstLink = await page.$eval("#vendors tbody tr th a", (a) => a.href);
  const firstSlug = (await shownSlugs("#vendors"))[0];
  check(new URL(firstLink).pathname === new URL(at(`vendors/${firstSlug}/`)).pathname, `a row's link after paging: ${firstLink}`);
  check(new URL(await page.$eval("a.site-title", (a) => a.href)).pathname === new URL(at("./")).pathname, "the header's link after paging");
  await page.click('[data-pagination] a[data-page="4"]');
  await page.goBack();
  check(same(await shownSlugs("#vendors"), sortedBy(order, vendorKeys(0)[2], true).slice(2 * PAGE, 3 * PAGE)), "Back shows page 3 again");
  await page.goForward();
  check(same(await shownSlugs("#vendors"), sortedBy(order, vendorKeys(0)[2], true).slice(3 * PAGE, 4 * PAGE)), "Forward shows page 4 again");
  // In the generator's order the page links are its pages: Back goes to the page before.
  await open("page/3/", "#vendors");
  await page.click('[data-pagination] a[rel=next]');
  await ready("#vendors");
  check(new URL(page.url()).pathname.endsWith("/page/4/"), `Next from page 3: ${page.url()}`);
  await page.goBack();
  await ready("#vendors");
  check(same(await shownSlugs("#vendors"), order.slice(2 * PAGE, 3 * PAGE)), "Back from page 4 shows page 3's rows");

  // Filters, alone and together, with a sort and a team size; and typing in the search field.
  const searchText = (slug) => {
    const record = records.get(slug);
    return `${record.name} ${record.category || ""} ${atOf(slug, "scim", i).plan || ""} ${atOf(slug, "sso", i).plan || ""}`.toLowerCase();
  };
  const connects = (slug, idp) => {
    const s = (records.get(slug).idps || {})[idp];
    return Boolean(s && (s.sso === true || s.scim === "full" || s.scim === "jit"));
  };
  const scimState = (slug) => (records.get(slug).scim.available === true ? "yes" : records.get(slug).scim.available === false ? "no" : "unknown");
  const category = lists.vendors.find((v) => v.category_slug).category_slug;
  const filters = [
    { query: "q=acme", match: (s) => searchText(s).includes("acme") },
    { query: "q=enterprise", match: (s) => searchText(s).includes("enterprise") },
    { query: `category=${category}`, match: (s) => listed.get(s).category_slug === category },
    { query: "idp=okta", match: (s) => connects(s, "okta") },
    { query: "scim=no", match: (s) => scimState(s) === "no" },
    { query: "scim=unknown&idp=rippling", match: (s) => scimState(s) === "unknown" && connects(s, "rippling") },
    { query: "q=zz-no-such-vendor", match: () => false },
  ];
  for (const filter of filters) {
    const expected = sortedBy(order.filter(filter.match), keys[3], true);
    await open(`./?users=${users}&${filter.query}&sort=4&dir=desc`, "#vendors");
    await checkResult("#vendors", expected, `index ${filter.query} at ${users} users by SCIM extra, descending`);
  }
  await open("./", "#vendors");
  await page.fill("#filter-q", "acme");
  const acme = order.filter((s) => `${records.get(s).name} ${records.get(s).category || ""} ${atOf(s, "scim", 0).plan || ""} ${atOf(s, "sso", 0).plan || ""}`.toLowerCase().includes("acme"));
  await checkResult("#vendors", acme, "typing acme");
  check(new URL(page.url()).search === "?q=acme", `the URL keeps the search: ${page.url()}`);

  // A view out of range: the last page is shown and the URL corrected.
  await open("./?sort=3&page=99999", "#vendors");
  const lastPage = Math.ceil(order.length / PAGE);
  check(new URL(page.url()).searchParams.get("page") === String(lastPage), `page 99999 becomes ${lastPage}: ${page.url()}`);
  await open("./?category=no-such-category", "#vendors");
  check(!new URL(page.url()).searchParams.has("category") && (await shownSlugs("#vendors")).length === PAGE, "an unknown category leaves the URL");

  // ---- An identity provider's page ------------------------------------------------------
  const idp = "okta";
  const support = (slug) => (records.get(slug).idps || {})[idp] || {};
  const idpKeys = [
    (slug) => order.indexOf(slug),
    (slug) => ({ true: 0, false: 1 })[support(slug).sso] ?? null,
    (slug) => ({ full: 0, jit: 1, none: 2 })[support(slug).scim] ?? null,
    (slug) => support(slug).notes || null,
    (slug) => (support(slug).setup ? 0 : 1),
  ];
  for (let c = 0; c < idpKeys.length; c += 1) {
    await open(`idps/${idp}/?sort=${c + 1}&dir=desc`, "#idp-vendors");
    await checkResult("#idp-vendors", sortedBy(order, idpKeys[c], true), `${idp} by column ${c + 1}, descending`);
  }
  const ssoState = (slug) => (support(slug).sso === true ? "yes" : support(slug).sso === false ? "no" : "unknown");
  for (const [query, match] of [
    ["sso=no", (s) => ssoState(s) === "no"],
    ["provisioning=jit", (s) => support(s).scim === "jit"],
    ["provisioning=unknown&sso=unknown", (s) => !support(s).scim && ssoState(s) === "unknown"],
    ["q=catalogue", (s) => `${records.get(s).name} ${support(s).notes || ""}`.toLowerCase().includes("catalogue")],
  ]) {
    await open(`idps/${idp}/?${query}&sort=1`, "#idp-vendors");
    await checkResult("#idp-vendors", order.filter(match), `${idp} ${query}`);
  }

  // ---- The SCIM tax ranking -------------------------------------------------------------
  const ranked = all.vendors.filter((v) => v.scim_premium.status === "priced")
    .map((v) => v.slug)
    .sort((a, b) => figures.get(b).scim_premium.rows[0].percent - figures.get(a).scim_premium.rows[0].percent || (a < b ? -1 : 1));
  await open("scim-tax/", "#ranking");
  await checkResult("#ranking", ranked, "the ranking");
  const premium = (slug) => figures.get(slug).scim_premium;
  const rankKeys = [
    (slug) => ranked.indexOf(slug),
    (slug) => order.indexOf(slug),
    (slug) => premium(slug).tier,
    (slug) => premium(slug).base_tier,
    (slug) => premium(slug).rows[0].percent,
    ...sizes.map((size) => (slug) => money(slug, premium(slug).rows.find((r) => r.users === size)?.extra_per_year ?? null)),
  ];
  for (let c = 0; c < rankKeys.length; c += 1) {
    await open(`scim-tax/?sort=${c + 1}`, "#ranking");
    await checkResult("#ranking", sortedBy(ranked, rankKeys[c], false), `ranking by column ${c + 1}`);
  }
  await open("scim-tax/?q=business", "#ranking");
  await checkResult("#ranking", ranked.filter((s) => `${records.get(s).name} ${premium(s).tier || ""} ${premium(s).base_tier || ""}`.toLowerCase().includes("business")), "ranking search business");

  // ---- A category page ------------------------------------------------------------------
  const inCategory = order.filter((s) => listed.get(s).category_slug === category);
  await open(`categories/${category}/?sort=3`, "#vendors");
  await checkResult("#vendors", sortedBy(inCategory, vendorKeys(0)[2], false), `category ${category} by SCIM per year`);

  // ---- The rows the script draws are the generator's -------------------------------------
  // Each row as a canonical tree (tag, sorted attributes, trimmed text), without the boxes
  // for ticking rows that only the script adds.
  const canonical = (rows) => {
    const walk = (node) => {
      if (node.nodeType === 3) return node.textContent.replace(/\s+/g, " ").trim();
      if (node.nodeType !== 1 || node.matches("input.pick")) return "";
      const attributes = Array.from(node.attributes).map((a) => `${a.name}=${a.value}`).sort().join(" ");
      const children = Array.from(node.childNodes).map(walk).filter((c) => c !== "");
      return `<${node.localName} ${attributes}>${children.join("|")}</${node.localName}>`;
    };
    return rows.map((row) => {
      const copy = row.cloneNode(true);
      copy.normalize();
      return walk(copy);
    });
  };
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  for (const [path, table] of [["./", "#vendors"], ["page/2/", "#vendors"], [`idps/${idp}/page/3/`, "#idp-vendors"], ["scim-tax/", "#ranking"], [`categories/${category}/`, "#vendors"]]) {
    await plain.goto(at(path));
    const generated = await plain.$$eval(`${table} tbody tr`, canonical);
    await open(path, table);
    const drawn = await page.$$eval(`${table} tbody tr`, canonical);
    check(generated.length > 0, `${path}: no rows without JavaScript`);
    check(same(drawn, generated), `${path}: the script's rows differ from the generator's: ${where(drawn, generated)}`);
  }

  // ---- Without JavaScript, Next reaches every vendor in order -----------------------------
  const reached = [];
  let next = at("./");
  let pages = 0;
  while (next) {
    await plain.goto(next);
    reached.push(...await plain.$$eval("#vendors tbody tr", (rows) => rows.map((r) => r.dataset.slug)));
    const link = await plain.$("nav[data-pagination] a[rel=next]");
    next = link ? new URL(await link.getAttribute("href"), plain.url()).href : null;
    pages += 1;
    if (pages > order.length) break;
  }
  check(same(reached, order), `without JavaScript the index's pages reach ${reached.length} of ${order.length} vendors: ${where(reached, order)}`);
  await noScript.close();

  // ---- Accessibility: a table with headers, the count announced, axe clean --------------
  await open(`./?users=${users}&idp=okta&sort=3&page=2`, "#vendors");
  check(await page.getAttribute("[data-list-status]", "role") === "status", "the count of shown rows is a status, announced");
  check((await page.$$("#vendors thead th[scope=col]")).length === keys.length, "the table keeps its column headers");
  for (const violation of await axeViolations(page)) check(false, `axe: ${violation}`);
} finally {
  await browser.close();
}

report(`lists: ${order.length} vendors, every sort and filter checked`);
