// Browser tests of the built site: sorting and filtering the comparison table, the
// calculator against the generator's own table, the 360 px layout, and axe-core.
// Usage: node site.mjs <site url>   (the shipped data, team sizes 50, 100, 200)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { launch } from "./chromium.mjs";

const url = process.argv[2];
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };
const at = (path) => new URL(path, url).href;

const browser = await launch();
try {
  const page = await browser.newPage();

  // --- Sorting and filtering the index ---------------------------------------------------
  await page.goto(at("./"));
  const names = () => page.$$eval("#vendors tbody tr:not([hidden]) th a", (as) => as.map((a) => a.textContent.trim()));
  const all = await names();
  check(all.length >= 8, `index lists ${all.length} vendors`);
  await page.click("#vendors thead th:nth-child(1) button");
  const byNameAsc = await names();
  check(JSON.stringify(byNameAsc) === JSON.stringify([...all].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))), `sort by name: ${byNameAsc}`);
  await page.click("#vendors thead th:nth-child(1) button");
  const byNameDesc = await names();
  check(JSON.stringify(byNameDesc) === JSON.stringify([...byNameAsc].reverse()), `sort by name, descending: ${byNameDesc}`);
  check(await page.getAttribute("#vendors thead th:nth-child(1)", "aria-sort") === "descending", "aria-sort says descending");
  // SCIM extra per year: numbers ascending, unknown last.
  await page.click("#vendors thead th:nth-child(4) button");
  const premiums = await page.$$eval("#vendors tbody tr td:nth-child(4)", (tds) => tds.map((td) => td.dataset.sort));
  const known = premiums.filter((p) => p !== "").map(Number);
  check(JSON.stringify(known) === JSON.stringify([...known].sort((a, b) => a - b)), `premiums ascending: ${premiums}`);
  check(premiums.slice(known.length).every((p) => p === ""), `unknown premiums last: ${premiums}`);

  // Filters: text, category, IdP, SCIM status.
  await page.fill("#filter-q", "code42");
  check(JSON.stringify(await names()) === JSON.stringify(["Code42"]), `search code42: ${await names()}`);
  check((await page.textContent("[data-filter-status]")).includes(`Showing 1 of ${all.length}`), "status counts the rows");
  await page.fill("#filter-q", "");
  await page.selectOption("#filter-category", "communication");
  const communication = await names();
  check(communication.length === 2 && communication.includes("Slack") && communication.includes("Zoom"), `category filter: ${communication}`);
  await page.selectOption("#filter-category", "");
  await page.selectOption("#filter-idp", "google");
  const google = await names();
  const googleExpected = await page.$$eval("#vendors tbody tr", (rows) => rows.filter((r) => r.dataset.idp.split(" ").includes("google")).length);
  check(google.length === googleExpected && google.length > 0 && google.length < all.length, `IdP filter: ${google}`);
  await page.selectOption("#filter-idp", "");
  // The shipped catalogue has vendors with SCIM, without it and unknown: each filter shows
  // exactly the rows whose data says so.
  for (const state of ["yes", "no", "unknown"]) {
    await page.selectOption("#filter-scim", state);
    const expected = await page.$$eval("#vendors tbody tr", (rows, s) => rows.filter((r) => r.dataset.scim === s).length, state);
    const shown = (await names()).length;
    check(shown === expected && shown > 0 && shown < all.length, `SCIM filter ${state}: ${shown} shown, ${expected} expected`);
  }

  // The SCIM tax ranking sorts and filters too.
  await page.goto(at("scim-tax/"));
  const ranked = () => page.$$eval("#ranking tbody tr:not([hidden]) th a", (as) => as.map((a) => a.textContent.trim()));
  const ranking = await ranked();
  check(ranking.length >= 2, `ranking lists ${ranking}`);
  await page.fill("#ranking-q", ranking[1].toLowerCase());
  check(JSON.stringify(await ranked()) === JSON.stringify([ranking[1]]), `ranking search: ${await ranked()}`);
  await page.fill("#ranking-q", "");
  await page.click("#ranking thead th:nth-child(1) button");
  await page.click("#ranking thead th:nth-child(1) button");
  check(JSON.stringify(await ranked()) === JSON.stringify([...ranking].reverse()), `ranking reversed: ${await ranked()}`);

  // --- The calculator gives the generator's figures, for SCIM and SSO -----------------------
  let compared = 0;
  for (const slug of ["figma", "github", "slack", "code42", "atlassian"]) {
    await page.goto(at(`vendors/${slug}/`));
    for (const [feature, prefix] of [["scim", ""], ["sso", "sso-"]]) {
      const table = await page.$$eval(`#${prefix}cost-table tbody tr`, (rows) =>
        rows.map((r) => ({ users: parseInt(r.cells[0].textContent, 10), plan: r.cells[1].textContent.trim(), monthly: r.cells[2].textContent.trim(), annual: r.cells[3].textContent.trim() })));
      const premium = await page.$$eval(`#${prefix}premium-table tbody tr`, (rows) =>
        rows.map((r) => ({ users: parseInt(r.cells[0].textContent, 10), extra: r.cells[1].textContent.trim(), percent: r.cells[2].textContent.trim() })));
      if (feature === "scim") check(table.length === 3, `${slug}: the cost table has a row per team size`);
      for (const row of table) {
        await page.fill("#team-size", String(row.users));
        const out = async (name) => (await page.textContent(`[data-output="${feature} ${name}"]`)).trim();
        check(await out("plan") === row.plan, `${slug} ${feature} at ${row.users}: plan ${await out("plan")} ≠ ${row.plan}`);
        check(await out("monthly") === row.monthly, `${slug} ${feature} at ${row.users}: monthly ${await out("monthly")} ≠ ${row.monthly}`);
        check(await out("annual") === row.annual, `${slug} ${feature} at ${row.users}: annual ${await out("annual")} ≠ ${row.annual}`);
        const p = premium.find((r) => r.users === row.users);
        if (p) {
          check(await out("extra") === p.extra, `${slug} ${feature} at ${row.users}: extra ${await out("extra")} ≠ ${p.extra}`);
          check(await out("percent") === p.percent, `${slug} ${feature} at ${row.users}: premium ${await out("percent")} ≠ ${p.percent}`);
        } else {
          check(await out("percent") === "Unknown", `${slug} ${feature}: no premium table, so the calculator says Unknown`);
        }
        compared += 1;
      }
    }
    // A size the table does not have: 37 users; and ?users= in the address.
    await page.fill("#team-size", "37");
    check((await page.textContent('[data-output="scim annual"]')).trim() !== "", `${slug}: 37 users gives a figure`);
  }
  check(compared >= 18, `only ${compared} calculator rows compared`);
  await page.goto(at("vendors/slack/?users=120"));
  check(await page.inputValue("#team-size") === "120", "?users=120 sets the vendor page's calculator");

  // --- 360 px: tables scroll in their own box, never the page ------------------------------
  const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
  for (const path of ["./", "vendors/code42/", "scim-tax/", "idps/okta/", "idps/", "categories/"]) {
    await phone.goto(at(path));
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 360, `${path} at 360 px scrolls sideways: ${width} px wide`);
  }

  // --- axe-core: no serious or critical violations ----------------------------------------
  for (const path of ["./", "vendors/code42/", "idps/okta/", "scim-tax/"]) {
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(at(path));
      await page.addScriptTag({ content: axeSource });
      const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      for (const v of bad) check(false, `axe (${scheme}) ${path}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }
  }
} finally {
  await browser.close();
}

if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("browser site checks: ok");
