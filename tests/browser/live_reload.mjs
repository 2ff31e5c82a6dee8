// End-to-end: a vendor page open in Chromium follows edits on disk with no action in the
// browser. Usage: node live_reload.mjs <site url> <site root>
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, waitFor } from "./chromium.mjs";

const [url, root] = process.argv.slice(2);
const record = join(root, "data/vendors/acme.yaml");
const stylesheet = join(root, "static/style.css");
const edit = (file, from, to) => {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
};
const timings = [];

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(new URL("vendors/acme/", url).href);
  const h1 = () => page.locator("h1").first().innerText();
  if (!(await h1()).startsWith("Acme Chat")) throw new Error(`unexpected h1: ${await h1()}`);
  // Wait until the page listens for events, so that no edit comes before it does.
  const connected = () => page.waitForFunction(() => document.documentElement.dataset.liveReload === "connected");
  await connected();

  // 1. A record edit reloads the page by itself.
  let started = Date.now();
  edit(record, "name: Acme Chat", "name: Acme Browser");
  await waitFor("the new name", 20000, async () => (await h1().catch(() => "")).startsWith("Acme Browser"));
  timings.push(["record edit to new page shown", Date.now() - started]);

  // 2. A broken record shows the overlay over the last good page.
  started = Date.now();
  edit(record, "tier: Business", "tier: Busines");
  const overlay = page.locator("#scimfacts-overlay");
  await waitFor("the overlay", 20000, async () => (await overlay.count()) > 0);
  const text = await overlay.innerText();
  if (!text.includes("data/vendors/acme.yaml:14:9: scim.tier")) throw new Error(`overlay says: ${text}`);
  if (!(await h1()).startsWith("Acme Browser")) throw new Error("the last good page must stay");
  timings.push(["broken edit to overlay shown", Date.now() - started]);

  // 3. Fixing it clears the overlay.
  edit(record, "tier: Busines", "tier: Business");
  await waitFor("the overlay to clear", 20000, async () => (await overlay.count()) === 0 && (await h1().catch(() => "")).startsWith("Acme Browser"));

  // 4. A stylesheet edit swaps styles without reloading the page.
  await connected();
  await page.evaluate(() => { window.__notReloaded = true; });
  edit(stylesheet, "body { color: rgb(1, 2, 3); }", "body { color: rgb(4, 5, 6); }");
  await waitFor("the new colour", 20000, async () =>
    (await page.evaluate(() => getComputedStyle(document.body).color)) === "rgb(4, 5, 6)");
  if (!(await page.evaluate(() => window.__notReloaded === true))) throw new Error("the page reloaded for a CSS change");

  for (const [what, ms] of timings) console.log(`timing: ${what}: ${ms} ms`);
  console.log("browser live reload: ok");
} finally {
  await browser.close();
}
