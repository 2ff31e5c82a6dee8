// Browser tests of the buyer's view, against the generator's own figures: the index at a team
// size (?users=N) over every vendor, at every team size of the site (the test sets many: 1,
// the seat minimums, 1,000, 100,000...); the same table without JavaScript at the first size;
// the stack calculator's totals and CSV; compare; no page scrolling sideways at 1,280 and
// 390 px; axe-core on the new pages.
// Usage: node buyer.mjs <site url> <site output folder>   (the folder holds api/vendors.json)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, check, report } from "./checks.mjs";
import { launch } from "./chromium.mjs";

const [url, folder] = process.argv.slice(2);
const at = (path) => new URL(path, url).href;
const json = (path) => JSON.parse(readFileSync(join(folder, path), "utf8"));

// The generator's answers: each vendor's SCIM and SSO cost, and extra over the cheapest paid
// plan, at each team size (its cost and premium rows; no row: the status says what stands in).
const all = json("api/vendors.json");
const sizes = all.team_sizes;
const vendors = new Map(all.vendors.map((v) => [v.slug, v]));
const NONE = { scim: "No SCIM", sso: "No SSO" };
const atOf = (vendor, feature, i) => {
  const cost = vendor[`${feature}_cost`];
  const row = cost.rows.find((r) => r.users === sizes[i]);
  const extra = vendor[`${feature}_premium`].rows.find((r) => r.users === sizes[i]);
  const standIn = cost.status === "unavailable" ? NONE[feature] : cost.status === "custom" ? "Custom pricing" : "Unknown";
  return {
    status: cost.status,
    plan: cost.status === "unavailable" ? NONE[feature] : row ? row.tier : cost.tier ?? "Unknown",
    annual: row ? row.annual : null,
    annual_text: row ? row.annual_text : standIn,
    extra: extra ? extra.extra_per_year : null,
    extra_text: extra ? `${extra.extra_text} (${extra.percent_text})` : standIn,
  };
};
// What a row of the index says, as text.
const expectedCells = (vendor, i) => {
  const cells = { "scim plan": atOf(vendor, "scim", i).plan };
  for (const feature of ["scim", "sso"]) {
    const a = atOf(vendor, feature, i);
    cells[`${feature} annual`] = a.annual_text;
    cells[`${feature} extra`] = a.extra_text;
  }
  return cells;
};
const readRows = (page) => page.$$eval("#vendors tbody tr", (rows) => rows.map((row) => {
  const cells = {};
  for (const cell of row.querySelectorAll("[data-at]")) cells[cell.dataset.at] = cell.textContent.replace(/\s+/g, " ").trim();
  return { slug: row.dataset.slug, cells };
}));
const compareRows = (rows, i, where) => {
  check(rows.length === vendors.size, `${where}: ${rows.length} rows for ${vendors.size} vendors`);
  let compared = 0;
  for (const row of rows) {
    const expected = expectedCells(vendors.get(row.slug), i);
    for (const [name, text] of Object.entries(expected)) {
      if (row.cells[name] !== text) check(false, `${where}, ${row.slug}, ${name}: the page says "${row.cells[name]}", the generator "${text}"`);
      compared += 1;
    }
  }
  return compared;
};

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  // --- The index at every team size: every vendor's figures are the generator's -------------
  let compared = 0;
  for (let i = 0; i < sizes.length; i += 1) {
    await page.goto(at(`./?users=${sizes[i]}`));
    await page.waitForFunction((n) => document.querySelector("[data-users-label]").textContent === String(n), sizes[i]);
    compared += compareRows(await readRows(page), i, `index at ${sizes[i]} users`);
    check(await page.inputValue("#team-size") === String(sizes[i]), `the control shows ${sizes[i]}`);
  }
  check(compared >= vendors.size * 5 * sizes.length, `only ${compared} cells compared`);
  // The control: a preset, then a typed size; the URL follows.
  await page.goto(at("./"));
  await page.fill("#team-size", String(sizes[2]));
  await page.waitForFunction((n) => document.querySelector("[data-users-label]").textContent === String(n), sizes[2]);
  compareRows(await readRows(page), 2, `index after typing ${sizes[2]}`);
  check(new URL(page.url()).searchParams.get("users") === String(sizes[2]), `the URL keeps the team size: ${page.url()}`);
  // Sorting by SCIM per year at this size orders by the generator's figures, within each
  // currency (the most used first), unknown last.
  await page.click("#vendors thead th:nth-child(3) button");
  const sortedRows = await readRows(page);
  const uses = new Map();
  for (const v of vendors.values()) uses.set(v.currency, (uses.get(v.currency) || 0) + 1);
  const currencies = [...uses.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
  const order = sortedRows.map((r) => ({ annual: atOf(vendors.get(r.slug), "scim", 2).annual, group: currencies.indexOf(vendors.get(r.slug).currency) }));
  const known = order.filter((a) => a.annual !== null);
  const expected = [...known].sort((a, b) => a.group - b.group || a.annual - b.annual);
  check(JSON.stringify(known) === JSON.stringify(expected), "SCIM per year sorts ascending, within each currency");
  check(order.slice(known.length).every((a) => a.annual === null), "unknown costs sort last");
  check(new URL(page.url()).searchParams.get("sort") === "3", `the URL keeps the sort: ${page.url()}`);
  // A team size that is not one (0, words, fractions, beyond the maximum) is left out of the
  // URL and the table stays at the first size; typing one marks the field invalid.
  for (const bad of ["0", "-5", "abc", "1.5", "99999999999"]) {
    await page.goto(at(`./?users=${bad}`));
    await page.waitForFunction(() => document.querySelector("[data-users-label]") !== null);
    check(await page.textContent("[data-users-label]") === String(sizes[0]), `?users=${bad} shows the first team size`);
    check(!new URL(page.url()).searchParams.has("users"), `?users=${bad} is taken out of the URL: ${page.url()}`);
  }
  await page.fill("#team-size", "0");
  check(await page.getAttribute("#team-size", "aria-invalid") === "true", "a team size of 0 is marked invalid");
  check((await page.textContent("[data-users-hint]")).includes("whole number"), "and the hint says why");
  check(errors.length === 0, `script errors: ${errors.join("; ")}`);

  // --- Without JavaScript: the same figures at the site's first team size -------------------
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(at(`./?users=${sizes[3]}`));
  compareRows(await readRows(plain), 0, "index without JavaScript");
  await noScript.close();

  // --- The stack calculator: totals and CSV ---------------------------------------------
  const pick = (test) => [...vendors.values()].filter(test).slice(0, 3).map((v) => v.slug);
  const at0 = (v, feature) => atOf(v, feature, 0);
  const priced = pick((v) => at0(v, "scim").extra > 0 && at0(v, "sso").annual !== null);
  const custom = pick((v) => at0(v, "scim").status === "custom");
  const unknown = pick((v) => at0(v, "scim").status === "unknown");
  const none = pick((v) => at0(v, "scim").status === "unavailable");
  const seats = [120, 40, 9];
  const stack = [...priced.map((s, i) => ({ slug: s, seats: seats[i] })), ...[...custom, ...unknown, ...none].map((s) => ({ slug: s, seats: null }))];
  check(priced.length === 3 && custom.length > 0 && unknown.length > 0 && none.length > 0, "the catalogue has each kind of vendor for the stack");
  // The generator's figures at the seats: a second build is not needed, as each seat count
  // used here is a team size of the site.
  const sizeIndex = (n) => sizes.indexOf(n);
  for (const n of [...seats, sizes[0]]) check(sizeIndex(n) >= 0, `${n} is a team size of the test site`);
  const v = stack.map((s) => (s.seats ? `${s.slug}:${s.seats}` : s.slug)).join(",");
  await page.goto(at(`stack/?v=${v}`));
  await page.waitForSelector("#stack-table tbody tr");
  const rows = await page.$$eval("#stack-table tbody tr", (trs) => trs.map((tr) => tr.dataset.slug));
  check(JSON.stringify(rows) === JSON.stringify(stack.map((s) => s.slug)), `stack rows: ${rows}`);
  const sums = new Map();
  for (const item of stack) {
    const vendor = vendors.get(item.slug);
    const i = sizeIndex(item.seats ?? sizes[0]);
    // Every vendor's currency has its totals, "Nothing priced" (0 here) when none is priced.
    const sum = sums.get(vendor.currency) ?? { scim_annual: 0, scim_extra: 0, sso_annual: 0, sso_extra: 0 };
    sums.set(vendor.currency, sum);
    for (const feature of ["scim", "sso"]) {
      const a = atOf(vendor, feature, i);
      if (a.annual === null) continue;
      sum[`${feature}_annual`] += a.annual;
      if (a.extra !== null) sum[`${feature}_extra`] += a.extra;
    }
  }
  const totals = await page.$$eval("#stack-totals dl", (dls) => dls.map((dl) => ({
    currency: dl.dataset.currency,
    values: Object.fromEntries([...dl.querySelectorAll("dd")].map((dd) => [dd.dataset.total, dd.textContent.trim()])),
  })));
  const plainNumber = (text) => Number(text.replace(/[^0-9.]/g, ""));
  check(JSON.stringify(totals.map((t) => t.currency).sort()) === JSON.stringify([...sums.keys()].sort()), `stack totals in ${totals.map((t) => t.currency)}, expected ${[...sums.keys()]}`);
  for (const total of totals) {
    const expected = sums.get(total.currency) ?? {};
    for (const key of ["scim_annual", "scim_extra", "sso_annual", "sso_extra"]) {
      const shown = plainNumber(total.values[key]);
      check(Math.abs(shown - expected[key]) < 0.01, `stack total ${key} (${total.currency}): shows ${total.values[key]}, expected ${expected[key]}`);
    }
  }
  check(totals.length >= 1, "the stack shows totals");
  const apart = await page.textContent("#stack-totals ul.apart");
  for (const slug of [...custom, ...unknown, ...none]) {
    check(apart.includes(vendors.get(slug).name), `${slug} is listed apart, not counted: ${apart}`);
  }
  const headline = await page.textContent("#stack-totals");
  check(/Your SCIM tax: .+ a year/.test(headline), "the SCIM tax is said in words");
  // Seats edited in the table change the URL.
  await page.fill(`#stack-table tbody tr[data-slug="${priced[0]}"] input.seats`, String(sizes[1]));
  await page.press(`#stack-table tbody tr[data-slug="${priced[0]}"] input.seats`, "Enter");
  await page.waitForFunction((s) => window.location.search.includes(s), `${priced[0]}:${sizes[1]}`);
  // The CSV: a row per vendor and a total per currency, figures as plain numbers.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#stack-csv")]);
  const csv = readFileSync(await download.path(), "utf8").trim().split(/\r?\n/);
  check(csv[0].startsWith("slug,name,seats,currency,scim_status,scim_plan,scim_per_year"), `CSV header: ${csv[0]}`);
  check(csv.length === 1 + stack.length + totals.length, `CSV has ${csv.length} lines`);
  const customLine = csv.find((line) => line.startsWith(`${custom[0]},`));
  check(customLine && customLine.includes(",custom,"), `a custom-priced vendor is custom in the CSV: ${customLine}`);
  // Adding by name; text matching several vendors adds none and names them.
  const another = [...vendors.values()].find((x) => !stack.some((s) => s.slug === x.slug));
  await page.fill("#stack-add", another.name);
  await page.click("#stack-form button[type=submit]");
  await page.waitForSelector(`#stack-table tbody tr[data-slug="${another.slug}"]`);
  check((await page.textContent("[data-stack-status]")).startsWith(`Added ${another.name}.`), "the stack says what it added");
  const before = await page.$$eval("#stack-table tbody tr", (trs) => trs.length);
  await page.fill("#stack-add", "a");
  await page.click("#stack-form button[type=submit]");
  check(/vendors match “a”/.test(await page.textContent("[data-stack-status]")), "several matches are named, not guessed");
  check(await page.$$eval("#stack-table tbody tr", (trs) => trs.length) === before, "and none is added");

  // --- Compare -----------------------------------------------------------------------------
  const three = priced.slice(0, 2).concat(custom.slice(0, 1));
  await page.goto(at(`compare/?v=${three.join(",")}`));
  await page.waitForSelector("#compare table");
  const heads = await page.$$eval("#compare section:first-child thead th a", (as) => as.map((a) => a.textContent.trim()));
  check(JSON.stringify(heads) === JSON.stringify(three.map((s) => vendors.get(s).name)), `compare columns: ${heads}`);
  const costRow = await page.$$eval("#compare tbody tr", (trs, label) => {
    const tr = trs.find((r) => r.cells[0].textContent.trim() === label);
    return tr ? [...tr.cells].slice(1).map((c) => c.textContent.trim()) : null;
  }, `SCIM per year, ${sizes[0]} users`);
  check(costRow !== null, "compare has a SCIM cost row");
  three.forEach((slug, i) => {
    const a = atOf(vendors.get(slug), "scim", 0);
    const text = costRow ? costRow[i] : "";
    check(text.startsWith(a.annual_text), `compare ${slug}: "${text}" vs ${a.annual_text}`);
  });
  // From the index: tick two rows, then compare.
  await page.goto(at("./"));
  const boxes = await page.$$("#vendors input.pick");
  await boxes[0].check();
  await boxes[1].check();
  const href = await page.getAttribute("[data-pick-compare]", "href");
  check(/compare\/\?v=[^,]+,[^,]+$/.test(href), `compare link from the index: ${href}`);

  // --- No page scrolls sideways; axe on the new pages -------------------------------------
  const slug = priced[0];
  const pages = ["./", `vendors/${slug}/`, "vendors/zoom/", `stack/?v=${v}`, `compare/?v=${three.join(",")}`, "scim-tax/", "idps/", "idps/okta/", "categories/", "categories/communication/", "about/", "404.html"];
  for (const width of [1280, 390]) {
    const view = await browser.newPage({ viewport: { width, height: 800 } });
    for (const path of pages) {
      await view.goto(at(path));
      await view.waitForTimeout(100);
      const scroll = await view.evaluate(() => document.documentElement.scrollWidth);
      check(scroll <= width, `${path} at ${width} px scrolls sideways: ${scroll} px wide`);
    }
    await view.close();
  }
  // --- Charts: drawn, every label inside its chart, at both widths and in both schemes ------
  for (const width of [1280, 390]) {
    for (const scheme of ["light", "dark"]) {
      const view = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
      for (const [path, count] of [[`vendors/${slug}/`, 1], ["scim-tax/", 2], ["idps/", 1]]) {
        await view.goto(at(path));
        const charts = await view.evaluate(() => [...document.querySelectorAll(".chart svg")].map((svg) => {
          const box = svg.getBoundingClientRect();
          const outside = [...svg.querySelectorAll("text")].filter((t) => {
            const r = t.getBoundingClientRect();
            return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
          }).map((t) => t.textContent);
          const shapes = svg.querySelectorAll("path.line, rect.bar").length;
          return { width: box.width, outside, shapes, name: svg.getAttribute("aria-labelledby") };
        }));
        check(charts.length === count, `${path}: ${charts.length} charts, expected ${count}`);
        for (const chart of charts) {
          check(chart.width > 250 && chart.width <= width, `${path} at ${width} px: a chart ${chart.width} px wide`);
          check(chart.outside.length === 0, `${path} at ${width} px: labels outside the chart: ${chart.outside.join(", ")}`);
          check(chart.shapes > 0, `${path}: a chart draws nothing`);
          check(Boolean(chart.name), `${path}: a chart without a name`);
        }
      }
      await view.close();
    }
  }
  for (const path of [`stack/?v=${v}`, `compare/?v=${three.join(",")}`, "./", "idps/", "scim-tax/"]) {
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(at(path));
      await page.waitForTimeout(200);
      for (const violation of await axeViolations(page)) check(false, `axe (${scheme}) ${path}: ${violation}`);
    }
  }
} finally {
  await browser.close();
}

report("browser buyer's view checks: ok", 60);
