// Accessibility of every screen, checked by axe-core (WCAG 2.1 A and AA rules: labels, names,
// roles, contrast, landmarks, headings) in light and dark theme, plus keyboard basics. Runs in
// Chromium against a real `imbi serve --demo`. axe is injected into the page, which the app's CSP
// (rightly) forbids, so this context alone bypasses CSP; the other browser tests run under it.
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../test/harness/browser.ts";
import { ADMIN, type ImbiServe, startImbiServe } from "../../../test/harness/web.ts";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let imbi: ImbiServe;
let browser: Browser;
let page: Page;
let projectId = "";
let deliveryId = "";
let subscriptionId = "";

/** A webhook with a rule and one processed delivery, and a subscription (the automation screens). */
async function arrangeAutomations(): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await imbi.api(method, path, body);
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  await call("POST", "/api/service-accounts", { slug: "a11y-gateway", display_name: "a11y gateway" });
  await call("POST", "/api/service-accounts/a11y-gateway/organizations", {
    organization: "demo",
    role: "imbi-gateway",
  });
  await call("PATCH", `/api/organizations/demo/projects/${projectId}`, [
    { op: "add", path: "/identifiers/github", value: "777" },
  ]);
  const hook = await call("POST", "/api/organizations/demo/webhooks", {
    slug: "a11y",
    name: "a11y",
    service_account: "a11y-gateway",
    rules: [
      {
        name: "Log pushes",
        filter: 'event == "push"',
        action: "log_operation",
        config: { environment: '"production"', description: '"Pushed"' },
      },
    ],
  });
  const body = JSON.stringify({ repository: { id: 777 }, sender: { login: "octocat" } });
  const signature = `sha256=${createHmac("sha256", String(hook.secret)).update(body).digest("hex")}`;
  const received = await fetch(`${imbi.url}/api${hook.path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Event": "push",
      "X-Hub-Signature-256": signature,
    },
    body,
  });
  deliveryId = ((await received.json()) as { delivery: string }).delivery;
  for (let i = 0; i < 100; i++) {
    const d = await call("GET", `/api/organizations/demo/webhooks/a11y/deliveries/${deliveryId}`);
    if (d.status !== "pending") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sub = await call("POST", "/api/organizations/demo/subscriptions", {
    url: "https://93.184.216.34/a11y",
  });
  subscriptionId = String(sub.id);
}

beforeAll(async () => {
  [imbi, browser] = await Promise.all([startImbiServe(), launchChromium()]);
  const list = await imbi.api("GET", "/api/organizations/demo/projects?limit=1");
  projectId = ((await list.json()) as { data: { id: string }[] }).data[0]?.id ?? "";
  await arrangeAutomations();
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await page.goto(`${imbi.url}/login`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await imbi?.stop();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe on the page and returns the serious and critical violations, readably. */
async function violations(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => "axe" in window)))
    await p.addScriptTag({ content: await readFile(AXE, "utf8") });
  const result = (await p.evaluate(() =>
    (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> };
      }
    ).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  )) as { violations: Violation[] };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const SCREENS = [
  "/o/demo/projects",
  "/o/demo/projects?tab=overview&PROJECT",
  "/o/demo/projects?tab=dependencies&PROJECT",
  "/o/demo/projects?tab=scores&PROJECT",
  "/o/demo/projects?tab=activity&PROJECT",
  "/o/demo/projects/cart-service?tab=deployments",
  "/o/demo/graph?group=team",
  "/o/demo/graph",
  "/o/demo/scores",
  "/o/demo/deployments",
  "/o/demo/operations-log",
  "/o/demo/teams",
  "/o/demo/environments",
  "/o/demo/project-types",
  "/o/demo/link-definitions",
  "/o/demo/admin/blueprints",
  "/o/demo/admin/policies",
  "/o/demo/admin/users",
  "/o/demo/admin/roles",
  "/o/demo/admin/organizations",
  "/o/demo/admin/api-keys",
  "/o/demo/admin/sessions",
  "/o/demo/admin/service-accounts",
  "/o/demo/admin/webhooks",
  "/o/demo/admin/webhooks/a11y",
  "/o/demo/admin/webhooks/a11y?tab=rules",
  "/o/demo/admin/webhooks/a11y?tab=deliveries&delivery=DELIVERY",
  "/o/demo/admin/subscriptions",
  "/o/demo/admin/subscriptions/SUBSCRIPTION",
];

const pathOf = (s: string) =>
  s.includes("PROJECT")
    ? `/o/demo/projects/${projectId}?tab=${/tab=(\w+)/.exec(s)?.[1]}`
    : s.replace("DELIVERY", deliveryId).replace("SUBSCRIPTION", subscriptionId);

describe("every screen passes axe's WCAG 2.1 AA rules", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`in the ${theme} theme`, { timeout: 180_000 }, async () => {
      await page.evaluate((t) => localStorage.setItem("imbi.theme", t), theme);
      const found: string[] = [];
      for (const screen of SCREENS) {
        await page.goto(`${imbi.url}${pathOf(screen)}`);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        // Let the screen's requests settle (loading skeletons are not what people read).
        await page.waitForLoadState("networkidle");
        expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
          theme === "dark",
        );
        for (const v of await violations(page)) found.push(`${screen}: ${v}`);
      }
      expect(found).toEqual([]);
    });
  }

  it("the sign-in page too", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const p = await context.newPage();
    try {
      await p.goto(`${imbi.url}/login`);
      await p.getByLabel("Email").waitFor();
      expect(await violations(p)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("keyboard", () => {
  it("the first Tab reaches 'Skip to content', which moves focus to the screen", async () => {
    await page.goto(`${imbi.url}/o/demo/teams`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
  });

  it("the search palette opens with Ctrl-K, closes with Escape and gives focus back", async () => {
    await page.goto(`${imbi.url}/o/demo/teams`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.keyboard.press("Control+k");
    await page.getByRole("dialog").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("combobox");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
  });
});
