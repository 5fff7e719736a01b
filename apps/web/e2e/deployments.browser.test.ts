// Releases and deployments in Chromium against `imbi serve --demo` (whose loader records releases
// and deployments for six services): the org's what's-deployed-where matrix with drift and its
// filters in the URL, a project's Deployments tab (current releases, drift, history with Load more,
// releases), blocking a release so publishing it is refused with the blocker's reason, recording a
// deployment with a field error first, and a read-only member who sees no actions.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfinedPage, launchChromium } from "../../../test/harness/browser.ts";
import {
  appPage,
  createDemoUser,
  type ImbiServe,
  screenshot,
  signIn,
  startImbiServe,
} from "../../../test/harness/web.ts";

let imbi: ImbiServe;
let browser: Browser;
let p: ConfinedPage;
const P = "/api/organizations/demo/projects";

beforeAll(async () => {
  [imbi, browser] = await Promise.all([startImbiServe(), launchChromium()]);
  p = await appPage(browser, imbi);
  await p.page.setViewportSize({ width: 1280, height: 900 });
  await signIn(p.page, imbi);
}, 180_000);

afterAll(async () => {
  await p?.close();
  await browser?.close();
  await imbi?.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await imbi.api(method, path, body);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const matrixRow = (page: Page, project: string) =>
  page
    .getByRole("table", { name: "What's deployed where" })
    .getByRole("row")
    .filter({
      has: page.getByRole("rowheader", { name: project, exact: true }),
    });
const rowNames = async (page: Page) =>
  (
    await page.getByRole("table", { name: "What's deployed where" }).getByRole("rowheader").allTextContents()
  ).sort();

describe("what's deployed where", () => {
  it("shows projects × environments with drift marked, filters in the URL, and links to the project", async () => {
    const { page } = p;
    await page.goto(`${imbi.url}/o/demo/projects`);
    await page.getByRole("navigation").first().getByRole("link", { name: "Deployments" }).click();
    await page.waitForURL(/\/o\/demo\/deployments$/);
    await page.getByRole("heading", { level: 1, name: "Deployments" }).waitFor();
    await matrixRow(page, "Cart Service").waitFor();
    const header = await page
      .getByRole("table", { name: "What's deployed where" })
      .getByRole("columnheader")
      .allTextContents();
    expect(header).toEqual(["Project", "Development", "Staging", "Production"]);
    expect(await rowNames(page)).toEqual([
      "Auth Service",
      "Cart Service",
      "Order Service",
      "Payment Gateway",
      "Search Service",
      "Web BFF",
    ]);
    // Cart service: 1.5.0 in staging has not reached production (1.3.0); production never drifts.
    const cart = (await matrixRow(page, "Cart Service").getByRole("cell").allInnerTexts()).map((t) =>
      t.replace(/\s+/g, " ").trim(),
    );
    expect(cart).toEqual(["1.5.0 Succeeded", "1.5.0 Succeeded not yet in Production", "1.3.0 Succeeded"]);
    // The failed run is a word, not only a colour; an unattached deployment shows its ref.
    await matrixRow(page, "Payment Gateway").getByText("Failed").waitFor();
    await matrixRow(page, "Search Service").getByText("7c1e9a4").waitFor();
    // In sync everywhere: no drift in the row.
    expect(
      await matrixRow(page, "Order Service")
        .getByText(/not yet in/)
        .count(),
    ).toBe(0);
    await screenshot(page, "deployments-matrix");

    await page.getByLabel("Team").selectOption("checkout");
    await page.waitForURL(/team=checkout/);
    await expect.poll(() => rowNames(page)).toEqual(["Cart Service", "Order Service", "Payment Gateway"]);
    await page.getByLabel("Project type").selectOption("frontend");
    await page.waitForURL(/team=checkout&type=frontend/);
    await page.getByText("No project with deployments matches these filters").waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.search === "?team=checkout");
    await expect.poll(() => rowNames(page)).toEqual(["Cart Service", "Order Service", "Payment Gateway"]);
    expect(await page.getByLabel("Team").inputValue()).toBe("checkout");

    await page.getByRole("link", { name: "Cart Service" }).click();
    await page.waitForURL(/\/o\/demo\/projects\/cart-service\?tab=deployments$/);
    await page.getByRole("tab", { name: "Deployments", selected: true }).waitFor();
    await page.getByText("Staging is 2 releases ahead of production.").waitFor();
    expect(p.errors).toEqual([]);
  });

  it("says how deployments get there when an organization has none", async () => {
    const { page } = p;
    await call("POST", "/api/organizations", { slug: "quiet", name: "Quiet", description: "No deployments" });
    await page.goto(`${imbi.url}/o/quiet/deployments`);
    await page.getByText("No deployments recorded yet").waitFor();
    await page.getByText(/wire GitHub to Imbi with a webhook/).waitFor();
    expect(await page.getByRole("table").count()).toBe(0);
    expect(p.errors).toEqual([]);
  });
});

describe("a project's Deployments tab", () => {
  it("shows the current release per environment, the drift, the history with Load more and the releases", async () => {
    const { page } = p;
    // 22 runs of a bare commit: more than one page of history.
    for (let i = 0; i < 22; i++)
      await call("POST", `${P}/tax-service/deployments`, {
        environment: "development",
        status: i === 21 ? "in_progress" : "success",
        ref: `abcdef${String(i).padStart(2, "0")}`,
        external_run_id: `tax-run-${i}`,
        external_run_url: `https://ci.example.com/tax/${i}`,
      });

    await page.goto(`${imbi.url}/o/demo/projects/cart-service?tab=deployments`);
    const current = page.getByRole("table", { name: "Current release per environment" });
    const currentRows = current.getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
    await expect
      .poll(async () =>
        (await currentRows.allInnerTexts()).map((t) =>
          t.split("\t").slice(0, 3).join(" ").replace(/\s+/g, " "),
        ),
      )
      .toEqual([
        "development 1.5.0 Gift wrapping Succeeded",
        "staging 1.5.0 Gift wrapping Succeeded",
        "production 1.3.0 Saved carts Succeeded",
      ]);
    await current.getByText("ci@demo.example.com").first().waitFor();
    expect(
      await current
        .getByRole("link", { name: /CI run/ })
        .first()
        .getAttribute("href"),
    ).toMatch(/^https:\/\/ci\.example\.com\/demo\/cart-service\/runs\/\d+$/);
    await page
      .getByTestId("drift-summary")
      .filter({ hasText: "Staging is 2 releases ahead of production." })
      .waitFor();
    await page.getByText("Promoting would ship: 1.5.0, 1.4.0").waitFor();
    // The compared environments are in the URL.
    await page.getByLabel("From environment").selectOption("development");
    await page.getByLabel("To environment").selectOption("staging");
    await page.waitForURL(/tab=deployments&from=development&to=staging/);
    await page.getByText("development and staging run the same release (1.5.0).").waitFor();
    const releases = page.getByRole("table", { name: "Releases" });
    await releases.getByRole("row").filter({ hasText: "1.3.0" }).getByText("Published").waitFor();
    await releases.getByRole("row").filter({ hasText: "1.5.0" }).getByText("Not published").waitFor();
    await screenshot(page, "project-deployments");

    // A blocked release shows its count; the failed run its word.
    await page.goto(`${imbi.url}/o/demo/projects/auth-service?tab=deployments`);
    await page
      .getByRole("table", { name: "Releases" })
      .getByRole("row")
      .filter({ hasText: "1.1.0" })
      .getByText("1 open blocker")
      .waitFor();
    await page.goto(`${imbi.url}/o/demo/projects/payment-gateway?tab=deployments`);
    await page
      .getByRole("table", { name: "Deployment history" })
      .getByRole("row")
      .filter({ hasText: "2.1.0" })
      .getByText("Failed")
      .waitFor();

    await page.goto(`${imbi.url}/o/demo/projects/tax-service?tab=deployments`);
    const history = page.getByRole("table", { name: "Deployment history" });
    const rows = history.getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
    await expect.poll(() => rows.count()).toBe(20);
    const first = rows.first();
    await first.getByText("abcdef21").waitFor();
    await first.getByText("In progress").waitFor();
    await first.getByText("Unattached ref").waitFor();
    expect(await first.getByRole("link", { name: /tax-run-21/ }).getAttribute("href")).toBe(
      "https://ci.example.com/tax/21",
    );
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows.count()).toBe(22);
    await rows.last().getByText("abcdef00").waitFor();
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    expect(p.errors).toEqual([]);
  });

  it("blocking a release makes publishing it refused with the blocker's reason; resolved, it publishes", async () => {
    const { page } = p;
    await page.goto(`${imbi.url}/o/demo/projects/web-bff?tab=deployments`);
    const row = page.getByRole("table", { name: "Releases" }).getByRole("row").filter({ hasText: "4.2.0" });
    await row.getByRole("button", { name: "Block 4.2.0" }).click();
    const block = page.getByRole("dialog", { name: "Block 4.2.0" });
    await block.getByLabel("Reason").fill("Breaks the persisted-query cache");
    await block.getByRole("button", { name: "Block release" }).click();
    await block.waitFor({ state: "detached" });
    await row.getByText("1 open blocker").waitFor();

    await row.getByRole("button", { name: "Publish 4.2.0" }).click();
    const publish = page.getByRole("alertdialog", { name: "Publish 4.2.0" });
    await publish.getByRole("button", { name: "Publish" }).click();
    await publish.getByRole("alert").filter({ hasText: "Breaks the persisted-query cache" }).waitFor();
    expect(await publish.getByRole("alert").innerText()).toMatch(/blocked by 1 open blocker/);
    await publish.getByRole("button", { name: "Cancel" }).click();
    expect(await row.getByText("Not published").count()).toBe(1);

    await row.getByRole("button", { name: "Blockers of 4.2.0" }).click();
    const blockers = page.getByRole("dialog", { name: "Blockers of 4.2.0" });
    await blockers.getByText("Breaks the persisted-query cache").waitFor();
    await blockers.getByRole("button", { name: "Resolve" }).click();
    await blockers.getByText("Resolved", { exact: true }).waitFor();
    await blockers.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => row.getByText("1 open blocker").count()).toBe(0);

    await row.getByRole("button", { name: "Publish 4.2.0" }).click();
    await page
      .getByRole("alertdialog", { name: "Publish 4.2.0" })
      .getByRole("button", { name: "Publish" })
      .click();
    await row.getByText("Published", { exact: true }).waitFor();
    expect(await row.getByRole("button", { name: "Publish 4.2.0" }).count()).toBe(0);
    expect(p.errors.filter((e) => !e.startsWith("console: Failed to load resource"))).toEqual([
      expect.stringMatching(/^HTTP 409: .*\/projects\/[^/]+\/releases\/[^/]+\/publish$/),
    ]);
    p.errors.length = 0;
  });

  it("records a deployment: the server's field error on its field, then the new row", async () => {
    const { page } = p;
    await page.goto(`${imbi.url}/o/demo/projects/order-service?tab=deployments`);
    await page.getByRole("button", { name: "Record deployment" }).click();
    const dialog = page.getByRole("dialog", { name: "Record a deployment" });
    await dialog.getByLabel("Environment").selectOption("production");
    await dialog.getByLabel("Version").fill("3.2.0");
    await dialog.getByLabel("Status").selectOption("rolled_back");
    await dialog.getByLabel("Run URL (optional)").fill("not a url");
    await dialog.getByRole("button", { name: "Record" }).click();
    const runUrl = dialog.getByLabel("Run URL (optional)");
    await expect.poll(() => runUrl.getAttribute("aria-invalid")).toBe("true");
    const errorId = await runUrl.getAttribute("aria-describedby");
    expect(await dialog.locator(`#${errorId}`).innerText()).not.toBe("");
    expect(await dialog.getByLabel("Version").getAttribute("aria-invalid")).toBe("false");

    await runUrl.fill("https://ci.example.com/order/rollback-1");
    await dialog.getByRole("button", { name: "Record" }).click();
    await dialog.waitFor({ state: "detached" });
    const first = page
      .getByRole("table", { name: "Deployment history" })
      .getByRole("row")
      .filter({ hasNot: page.getByRole("columnheader") })
      .first();
    await first.getByText("Rolled back").waitFor();
    expect((await first.innerText()).replace(/\s+/g, " ")).toMatch(
      /production 3\.2\.0 Rolled back admin@example\.com/,
    );
    await page
      .getByRole("status")
      .filter({ hasText: "Recorded 3.2.0 to production: Rolled back" })
      .waitFor({ state: "attached" });
    expect(p.errors.filter((e) => !e.startsWith("console: Failed to load resource"))).toEqual([
      expect.stringMatching(/^HTTP 400: .*\/projects\/[^/]+\/deployments$/),
    ]);
    p.errors.length = 0;
  });

  it("a read-only member sees everything and no action", async () => {
    const who = await createDemoUser(imbi, "deploy-reader@example.com", "readonly");
    const reader = await appPage(browser, imbi);
    try {
      await signIn(reader.page, imbi, who);
      const { page } = reader;
      await page.goto(`${imbi.url}/o/demo/projects/auth-service?tab=deployments`);
      const releases = page.getByRole("table", { name: "Releases" });
      await releases.getByRole("row").filter({ hasText: "1.1.0" }).getByText("1 open blocker").waitFor();
      await page.getByTestId("drift-summary").waitFor();
      await page.getByRole("table", { name: "Deployment history" }).waitFor();
      expect(await page.getByRole("button", { name: "Record deployment" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /^(Block|Publish) / }).count()).toBe(0);
      await releases.getByRole("button", { name: "Blockers of 1.1.0" }).click();
      const blockers = page.getByRole("dialog", { name: "Blockers of 1.1.0" });
      await blockers.getByText("Fails the login smoke test in staging").waitFor();
      expect(await blockers.getByRole("button", { name: "Resolve" }).count()).toBe(0);
      await blockers.getByRole("button", { name: "Close" }).click();
      await page.goto(`${imbi.url}/o/demo/deployments`);
      await matrixRow(page, "Auth Service").waitFor();
      await screenshot(page, "deployments-matrix-readonly");
      expect(reader.errors).toEqual([]);
    } finally {
      await reader.close();
    }
  });
});
