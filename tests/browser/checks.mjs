// What the browser test scripts share: collecting failed checks and reporting them (exit 1
// when any failed), and axe-core's serious or critical violations on a page.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const failures = [];
export const check = (ok, message) => { if (!ok) failures.push(message); };

/// The serious and critical axe-core violations of `page` as it is now, one line each.
export async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/// Prints the failures (the first `limit`) and their count and exits 1; else prints `passed`.
export function report(passed, limit = Infinity) {
  if (failures.length > 0) {
    console.error(failures.slice(0, limit).join("\n"));
    console.error(`${failures.length} failures`);
    process.exit(1);
  }
  console.log(passed);
}
