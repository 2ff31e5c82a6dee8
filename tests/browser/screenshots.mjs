// Screenshots of the index, a vendor page, the stack calculator, a list's pages and the charts at
// desktop and phone widths, for the README.
// Usage: node screenshots.mjs <site url> <output folder>
import { launch } from "./chromium.mjs";

const [url, folder] = process.argv.slice(2);
const shots = [
  ["index-desktop.png", "./", { width: 1280, height: 900 }],
  ["index-phone.png", "./?users=120", { width: 390, height: 844 }, "#vendors-caption"],
  ["vendor-desktop.png", "vendors/code42/", { width: 1280, height: 1400 }],
  ["vendor-phone.png", "vendors/code42/", { width: 390, height: 844 }],
  ["stack-desktop.png", "stack/?v=slack:120,github:40,atlassian,zoom", { width: 1280, height: 1100 }],
  ["stack-phone.png", "stack/?v=slack:120,github:40,atlassian,zoom", { width: 390, height: 844 }],
  ["list-desktop.png", "./?users=120&sort=3", { width: 1280, height: 900 }, "nav.pagination", "end"],
  ["list-phone.png", "./?users=120&sort=3", { width: 390, height: 844 }, "nav.pagination", "end"],
  ["charts-desktop.png", "vendors/atlassian/", { width: 1280, height: 900 }, "#cost"],
  ["charts-phone.png", "scim-tax/", { width: 390, height: 844 }, ".chart-pair"],
];
const browser = await launch();
try {
  for (const [name, path, viewport, scrollTo, block] of shots) {
    const page = await browser.newPage({ viewport });
    await page.goto(new URL(path, url).href);
    await page.waitForLoadState("networkidle");
    if (scrollTo) {
      await page.evaluate(([s, b]) => document.querySelector(s).scrollIntoView({ block: b }), [scrollTo, block || "start"]);
    }
    await page.screenshot({ path: `${folder}/${name}` });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots written to ${folder}`);
