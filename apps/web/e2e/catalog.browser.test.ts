// The catalog in a real browser against `imbi serve --demo`: filters with facet counts (in the
// URL, back button included), Load more, the needs-attention sort, the empty state, the create
// dialog with the server's field errors, and a read-only member who sees no create button.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../test/harness/browser.ts";
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
const base = "/api/organizations/demo";

interface Row {
  slug: string;
  name: string;
  team: string;
  score: number | null;
}
async function apiProjects(query: string): Promise<{ data: Row[]; next_cursor: string | null }> {
  const res = await imbi.api("GET", `${base}/projects?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { data: Row[]; next_cursor: string | null };
}

/** Signs in and opens the demo organization's catalog (the administrator belongs to two orgs). */
async function openCatalog(page: Page, who?: { email: string; password: string }): Promise<void> {
  await signIn(page, imbi, who, `/login?return_to=${encodeURIComponent("/o/demo/projects")}`);
  await page.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
}

beforeAll(async () => {
  // Every test signs the administrator in again; the default limit of 5 sessions would evict the
  // harness's own API session.
  [imbi, browser] = await Promise.all([
    startImbiServe({ IMBI_AUTH_MAX_CONCURRENT_SESSIONS: "100" }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await imbi?.stop();
});

describe("catalog", () => {
  it("lists projects, filters by team with facet counts in the URL, and the back button undoes it", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    await openCatalog(page);
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Showing" }).textContent())
      .toBe("Showing 50 projects (more available)");
    const teamFacet = page.getByRole("region", { name: "Team" });
    await expect
      .poll(() => teamFacet.getByRole("button", { name: /^Checkout 11 projects$/ }).count())
      .toBe(1);
    await screenshot(page, "catalog");

    // Types counted under no filter vs. under team=checkout: the counts beside the filters follow.
    const allApis = (await apiProjects("project_type=http-api&limit=500")).data.length;
    const checkoutApis = (await apiProjects("project_type=http-api&team=checkout&limit=500")).data.length;
    expect(checkoutApis).toBeLessThan(allApis);
    const typeFacet = page.getByRole("region", { name: "Project type" });
    await expect
      .poll(() => typeFacet.getByRole("button", { name: `HTTP API ${allApis} projects` }).count())
      .toBe(1);

    await teamFacet.getByRole("button", { name: /^Checkout / }).click();
    await page.waitForURL(/team=checkout/);
    const checkout = (await apiProjects("team=checkout&limit=500")).data;
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Showing" }).textContent())
      .toBe(`Showing ${checkout.length} projects`);
    const rows = page.getByRole("table", { name: "Projects" }).getByRole("row");
    await expect.poll(() => rows.count()).toBe(checkout.length + 1);
    const teams = await page.getByRole("table").locator("tbody tr td:nth-child(2)").allTextContents();
    expect(new Set(teams)).toEqual(new Set(["Checkout"]));
    await expect
      .poll(() => typeFacet.getByRole("button", { name: `HTTP API ${checkoutApis} projects` }).count())
      .toBe(1);
    expect(await teamFacet.getByRole("button", { name: /^Checkout / }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await screenshot(page, "catalog-filtered");

    await page.goBack();
    await page.waitForURL((u) => !u.search.includes("team="));
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Showing" }).textContent())
      .toBe("Showing 50 projects (more available)");
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it("loads more, sorts by needs attention, and opens a project from the list", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    await openCatalog(page);
    const total = (await apiProjects("limit=500")).data.length;
    expect(total).toBeGreaterThan(50);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Showing" }).textContent())
      .toBe(`Showing ${total} projects`);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    await page.getByLabel("Sort by").selectOption({ label: "Needs attention (lowest score)" });
    await page.waitForURL(/sort=score/);
    const firstLinks = page.getByRole("table", { name: "Projects" }).locator("tbody tr td:first-child a");
    // The demo's scores are still being computed in the background: compare the page with the
    // API's answer of the same moment, reloading the page's list until both agree.
    let worst = (await apiProjects("sort=score&limit=3")).data;
    let shown: string[] = [];
    await expect
      .poll(
        async () => {
          worst = (await apiProjects("sort=score&limit=3")).data;
          shown = (await firstLinks.allTextContents()).slice(0, 3);
          const agree = worst.length === 3 && shown.join() === worst.map((w) => w.name).join();
          if (!agree) await page.reload();
          return agree;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    expect(shown).toEqual(worst.map((w) => w.name));

    const first = worst[0];
    if (!first) throw new Error("no projects");
    await firstLinks.first().click();
    await page.waitForURL(new RegExp(`/o/demo/projects/${first.slug}$`));
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(first.name);
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it("says when no project matches and clears the filters", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    await openCatalog(page);
    await page.getByLabel("Attribute", { exact: true }).fill("tier");
    await page.getByLabel("Operator").selectOption("gt");
    await page.getByLabel("Value").fill("100");
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.waitForURL(/filter=tier%3Agt%3A100/);
    await page.getByText("No projects match these filters").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await page.waitForURL((u) => u.search === "");
    await page.getByRole("table", { name: "Projects" }).waitFor();
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it("creates a project, showing the server's field errors on the fields first", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    await openCatalog(page);
    await page.getByRole("button", { name: "New project" }).click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Name").fill("Bad!");
    await dialog.getByLabel("Slug").fill("Bad Slug");
    await dialog.getByRole("button", { name: "Create project" }).click();
    // The server refuses the slug and the missing team/types; each message sits on its field.
    const slug = dialog.getByLabel("Slug");
    await expect.poll(() => slug.getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.locator("#new-slug-error").textContent()).toMatch(/must match/);
    expect(await dialog.locator("#new-project_types-error").textContent()).toMatch(/Too small|at least/i);
    await screenshot(page, "catalog-create-errors");

    await dialog.getByLabel("Name").fill("Browser Made");
    await dialog.getByLabel("Slug").fill("browser-made");
    await dialog.getByLabel("Owning team").selectOption({ label: "Platform" });
    await dialog.getByLabel("HTTP API").check();
    await dialog.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(/\/o\/demo\/projects\/browser-made$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Browser Made");
    const res = await imbi.api("GET", `${base}/projects/browser-made`);
    expect(((await res.json()) as Row).team).toBe("platform");
    // Exactly the one refusal (the browser logs it too).
    expect([...p.errors].sort()).toEqual([
      `HTTP 400: ${imbi.url}${base}/projects`,
      "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]);
    await p.close();
  });

  it("shows a read-only member the catalog without a create button", async () => {
    const reader = await createDemoUser(imbi, "catalog-reader@example.com", "readonly");
    const p = await appPage(browser, imbi);
    const { page } = p;
    await openCatalog(page, reader);
    await page.getByRole("table", { name: "Projects" }).waitFor();
    expect(await page.getByRole("button", { name: "New project" }).count()).toBe(0);
    expect(p.errors).toEqual([]);
    await p.close();
  });
});
