// Retakes the screenshots of docs/web.md and the README (docs/images/web/*.png) from a real
// `imbi serve --demo` in Debian's Chromium, once every demo project has its score.
// Run: npx tsx scripts/docs_screenshots.ts (builds nothing: run `npm run build` first).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../test/harness/browser.ts";
import { ADMIN, startImbiServe } from "../test/harness/web.ts";

const OUT = fileURLToPath(new URL("../docs/images/web/", import.meta.url));

const imbi = await startImbiServe();
const browser = await launchChromium();
try {
  // Scores are computed in the background after the demo loads: wait until every project has one.
  for (let i = 0; i < 120; i++) {
    const page = (await (await imbi.api("GET", "/api/organizations/demo/projects?limit=100")).json()) as {
      data: { score?: number | null }[];
    };
    if (page.data.length > 0 && page.data.every((p) => typeof p.score === "number")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const project = (
    (await (await imbi.api("GET", "/api/organizations/demo/projects/order-service")).json()) as { id: string }
  ).id;
  await mkdir(OUT, { recursive: true });
  const shots: [string, string, "light" | "dark"][] = [
    ["login", "/login", "light"],
    ["catalog", "/o/demo/projects?team=checkout&sort=score", "light"],
    ["project-overview", `/o/demo/projects/${project}?tab=overview`, "light"],
    ["project-dependencies", `/o/demo/projects/${project}?tab=dependencies&depth=2`, "light"],
    ["project-scores", `/o/demo/projects/${project}?tab=scores`, "light"],
    ["org-graph", "/o/demo/graph?group=team&expand=checkout", "light"],
    ["scores", "/o/demo/scores", "light"],
    ["project-deployments", "/o/demo/projects/cart-service?tab=deployments", "light"],
    ["deployments", "/o/demo/deployments", "light"],
    ["operations-log", "/o/demo/operations-log", "light"],
    ["teams", "/o/demo/teams", "light"],
    ["blueprints", "/o/demo/admin/blueprints?bp=Project/service-basics", "light"],
    ["policies", "/o/demo/admin/policies", "light"],
    ["project-dark", `/o/demo/projects/${project}?tab=dependencies&depth=2`, "dark"],
  ];
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${imbi.url}/login`);
  await page.screenshot({ path: join(OUT, "login.png") });
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  for (const [name, path, theme] of shots.slice(1)) {
    await page.evaluate((t) => localStorage.setItem("imbi.theme", t), theme);
    await page.goto(`${imbi.url}${path}`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.waitForLoadState("networkidle");
    // Graph layouts and charts settle after their data.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    console.log(`docs/images/web/${name}.png`);
  }
} finally {
  await browser.close();
  await imbi.stop();
}
