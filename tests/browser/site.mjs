// Browser tests of the built site: sorting and filtering the comparison table, the
// calculator against the generator's own table, the 360 px layout, and axe-core.
// Usage: node site.mjs <site url>   (the shipped data, team sizes 50, 100, 200)
import { axeViolations, check, report } from "./checks.mjs";
import { launch } from "./chromium.mjs";

const url = process.argv[2];
const at = (path) => new URL(path, url).href;

const browser = await launch();
try {
  const page = await browser.newPage();

  // --- Sorting and filtering the index (a page at a time: lists.mjs checks every order) ---
  await page.goto(at("./"));
  await page.waitForSelector("#vendors thead button.sort");
  const lists = await page.evaluate(() => window.scimfactsLists);
  const total = lists.vendors.length;
  const names = () => page.$$eval("#vendors tbody tr th a", (as) => as.map((a) => a.textContent.trim()));
  const statusText = () => page.textContent("[data-list-status]");
  const first = await names();
  check(first.length === Math.min(total, lists.page_size), `index shows ${first.length} vendors on its first page`);
  check(JSON.stringify(first) === JSON.stringify(lists.vendors.slice(0, first.length).map((v) => v.name)), "the first page is the generator's order of names");
  check((await statusText()).includes(`of ${total} vendors`), `status: ${await statusText()}`);
  await page.click("#vendors thead th:nth-child(1) button");
  await page.click("#vendors thead th:nth-child(1) button");
  const byNameDesc = await names();
  const reversed = [...lists.vendors].reverse().slice(0, first.length).map((v) => v.name);
  check(JSON.stringify(byNameDesc) === JSON.stringify(reversed), `sort by name, descending: ${byNameDesc.slice(0, 5)}`);
  check(await page.getAttribute("#vendors thead th:nth-child(1)", "aria-sort") === "descending", "aria-sort says descending");

  // Filters: text, category, IdP, SCIM status; each shows exactly what the list's data says.
  await page.fill("#filter-q", "code42");
  check(JSON.stringify(await names()) === JSON.stringify(["Code42"]), `search code42: ${await names()}`);
  check((await statusText()).includes(`Showing 1 of 1 vendor (filtered from ${total})`), `status counts the rows: ${await statusText()}`);
  await page.fill("#filter-q", "");
  await page.selectOption("#filter-category", "communication");
  const communication = await names();
  check(communication.length === 2 && communication.includes("Slack") && communication.includes("Zoom"), `category filter: ${communication}`);
  await page.selectOption("#filter-category", "");
  const count = (match) => lists.vendors.filter(match).length;
  const shownCount = async () => {
    const text = await statusText();
    const m = text.match(/of ([\d,]+) vendors?/);
    return m ? Number(m[1].replace(/,/g, "")) : text.startsWith("No ") ? 0 : -1;
  };
  await page.selectOption("#filter-idp", "google");
  const google = count((v) => v.connects.includes(lists.idps.indexOf("google")));
  check(await shownCount() === google && google > 0 && google < total, `IdP filter: ${await shownCount()} shown, ${google} expected`);
  await page.selectOption("#filter-idp", "");
  // The shipped catalogue has vendors with SCIM, without it and unknown.
  for (const state of ["yes", "no", "unknown"]) {
    await page.selectOption("#filter-scim", state);
    const expected = count((v) => v.scim === state);
    const shown = await shownCount();
    check(shown === expected && shown > 0 && shown < total, `SCIM filter ${state}: ${shown} shown, ${expected} expected`);
  }
  check(new URL(page.url()).searchParams.get("scim") === "unknown", `the filter is in the URL: ${page.url()}`);

  // Amounts sort within their currency, never across: the catalogue's currencies in the order
  // of their use, whichever the direction.
  for (const dir of ["", "&dir=desc"]) {
    await page.goto(at(`./?sort=3${dir}`));
    await page.waitForSelector("#vendors thead button.sort");
    const currencyOf = new Map(lists.vendors.map((v) => [v.slug, v.currency]));
    const known = await page.$$eval("#vendors tbody tr", (rows) => rows
      .filter((r) => !r.querySelector('[data-at="scim annual"] span'))
      .map((r) => r.dataset.slug));
    const groups = known.map((slug) => lists.currencies.indexOf(currencyOf.get(slug)));
    check(known.length > 10 && groups.every((g, n) => n === 0 || g >= groups[n - 1]), `SCIM per year${dir} mixes currencies: ${groups.join(",")}`);
    check(new Set(groups).size > 1, `the shipped catalogue's SCIM prices come in more than one currency: ${[...new Set(groups)]}`);
  }

  // The next page, with and without JavaScript.
  await page.goto(at("./"));
  await page.waitForSelector("#vendors thead button.sort");
  await page.click("[data-pagination] a[rel=next]");
  check(new URL(page.url()).pathname.endsWith("/page/2/"), `Next goes to page 2: ${page.url()}`);
  check((await names())[0] === lists.vendors[lists.page_size].name, "page 2 starts where page 1 ends");

  // The SCIM tax ranking sorts and filters too.
  await page.goto(at("scim-tax/"));
  await page.waitForSelector("#ranking thead button.sort");
  const ranked = () => page.$$eval("#ranking tbody tr th a", (as) => as.map((a) => a.textContent.trim()));
  const ranking = await ranked();
  check(ranking.length >= 2, `ranking lists ${ranking}`);
  await page.fill("#ranking-q", ranking[1].toLowerCase());
  check(JSON.stringify(await ranked()) === JSON.stringify([ranking[1]]), `ranking search: ${await ranked()}`);
  await page.fill("#ranking-q", "");
  await page.click("#ranking thead th:nth-child(1) button");
  await page.click("#ranking thead th:nth-child(1) button");
  const allRanked = lists.ranking.map((r) => lists.vendors.find((v) => v.slug === r.slug).name);
  check(JSON.stringify(await ranked()) === JSON.stringify([...allRanked].reverse().slice(0, lists.page_size)), `ranking reversed: ${await ranked()}`);

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
      for (const violation of await axeViolations(page)) check(false, `axe (${scheme}) ${path}: ${violation}`);
    }
  }
} finally {
  await browser.close();
}

report("browser site checks: ok");
