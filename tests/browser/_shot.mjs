import { launch } from "/work/main/tests/browser/chromium.mjs";
const [url, out, width, height, dark] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: +width, height: +height }, colorScheme: dark ? "dark" : "light" });
await page.goto(url); await page.waitForLoadState("networkidle");
await page.screenshot({ path: out });
await browser.close();
