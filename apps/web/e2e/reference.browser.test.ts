// The organization's reference data and operations log in Chromium against `imbi serve --demo`:
// a team created, renamed and deleted through the UI; an environment refused for its slug (the
// server's message on the slug field) and then created; an operations-log entry recorded through
// the dialog (after a field error) and seen in the feed, which keeps its filters in the URL.
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
beforeAll(async () => {
  [imbi, browser] = await Promise.all([startImbiServe(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await imbi?.stop();
});

async function signedIn(): Promise<ConfinedPage> {
  const p = await appPage(browser, imbi);
  await signIn(p.page, imbi);
  return p;
}

/** How Chromium reports the expected refusal on the console. */
const REFUSED = "console: Failed to load resource: the server responded with a status of 400 (Bad Request)";

const row = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

describe("reference data", () => {
  it("creates, renames and deletes a team", async () => {
    const p = await signedIn();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/teams`);
      await expect.poll(() => row(page, "Platform").count()).toBe(1);
      await screenshot(page, "teams");

      await page.getByRole("button", { name: "New team" }).click();
      const create = page.getByRole("dialog", { name: "New team" });
      await create.getByLabel("Name").fill("QA Crew");
      await create.getByLabel("Slug").fill("qa-crew");
      await create.getByLabel("Description").fill("Tests everything twice");
      await create.getByRole("button", { name: "Create team" }).click();
      await create.waitFor({ state: "detached" });
      await row(page, "QA Crew").waitFor();
      expect(await page.getByRole("status").filter({ hasText: "Created the team." }).count()).toBe(1);
      // The catalog link carries the team filter.
      expect(await page.getByRole("link", { name: "Projects of QA Crew" }).getAttribute("href")).toBe(
        "/o/demo/projects?team=qa-crew",
      );

      await page.getByRole("button", { name: "Edit QA Crew" }).click();
      const edit = page.getByRole("dialog", { name: "Edit QA Crew" });
      await edit.getByLabel("Name").fill("QA Team");
      await edit.getByRole("button", { name: "Save changes" }).click();
      await edit.waitFor({ state: "detached" });
      await row(page, "QA Team").waitFor();
      expect(await row(page, "QA Crew").count()).toBe(0);
      // Renamed on the server too.
      const saved = (await (await imbi.api("GET", "/api/organizations/demo/teams/qa-crew")).json()) as {
        name: string;
      };
      expect(saved.name).toBe("QA Team");

      await page.getByRole("button", { name: "Delete QA Team" }).click();
      const confirm = page.getByRole("alertdialog", { name: "Delete QA Team?" });
      await confirm.getByRole("button", { name: "Delete team" }).click();
      await confirm.waitFor({ state: "detached" });
      await expect.poll(() => row(page, "QA Team").count()).toBe(0);
      expect((await imbi.api("GET", "/api/organizations/demo/teams/qa-crew")).status).toBe(404);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("adds a member to a team (someone outside the organization is refused on the field) and removes them", async () => {
    await createDemoUser(imbi, "member@example.com", "developer");
    const p = await signedIn();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/teams`);
      await page.getByRole("button", { name: "Members of Platform" }).click();
      await page.waitForURL((u) => u.searchParams.get("members") === "platform");
      const dialog = page.getByRole("dialog", { name: "Members of platform" });
      const email = dialog.getByLabel("Add a member by email");
      // The administrator is not a member of demo: the server's reason lands on the field.
      await email.fill("admin@example.com");
      await dialog.getByRole("button", { name: "Add member" }).click();
      await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
      expect(await dialog.getByRole("alert").textContent()).toMatch(/not a member of organization 'demo'/);
      await email.fill("member@example.com");
      await dialog.getByRole("button", { name: "Add member" }).click();
      const member = dialog.getByRole("listitem").filter({ hasText: "member@example.com" });
      await member.waitFor();
      await screenshot(page, "team-members");
      await dialog.getByRole("button", { name: "Remove member@example.com" }).click();
      await expect.poll(() => member.count()).toBe(0);
      expect(p.errors).toEqual([
        `HTTP 400: ${imbi.url}/api/organizations/demo/teams/platform/members`,
        REFUSED,
      ]);
    } finally {
      await p.close();
    }
  });

  it("puts the server's slug error on the slug field, then creates the environment", async () => {
    const p = await signedIn();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/environments`);
      await row(page, "Production").waitFor();
      await screenshot(page, "environments");
      await page.getByRole("button", { name: "New environment" }).click();
      const dialog = page.getByRole("dialog", { name: "New environment" });
      await dialog.getByLabel("Name").fill("Load test");
      await dialog.getByLabel("Slug").fill("Load Test");
      await dialog.getByRole("button", { name: "Create environment" }).click();
      const slug = dialog.getByLabel("Slug");
      await expect.poll(() => slug.getAttribute("aria-invalid")).toBe("true");
      const describedBy = (await slug.getAttribute("aria-describedby")) ?? "";
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/must match/);
      expect(await dialog.getByLabel("Name").getAttribute("aria-invalid")).toBeNull();
      await screenshot(page, "environments-slug-error");

      await slug.fill("load-test");
      await dialog.getByRole("button", { name: "Create environment" }).click();
      await dialog.waitFor({ state: "detached" });
      await row(page, "Load test").waitFor();
      expect(p.errors).toEqual([`HTTP 400: ${imbi.url}/api/organizations/demo/environments`, REFUSED]);
    } finally {
      await p.close();
    }
  });

  it("lists project types and link definitions (light and dark)", async () => {
    const p = await signedIn();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/project-types`);
      await page.getByRole("table", { name: "Project types" }).waitFor();
      expect(await page.getByRole("button", { name: "New project type" }).count()).toBe(1);
      await screenshot(page, "project-types");
      await page.goto(`${imbi.url}/o/demo/link-definitions`);
      await page.getByRole("heading", { name: "Link definitions", level: 1 }).waitFor();
      await page.getByRole("button", { name: "New link definition" }).first().waitFor();
      await screenshot(page, "link-definitions");
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(`${imbi.url}/o/demo/teams`);
      await row(page, "Platform").waitFor();
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
      await screenshot(page, "teams-dark");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe("operations log", () => {
  it("records an entry through the dialog (after a field error) and shows it in the feed", async () => {
    const p = await signedIn();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/operations-log`);
      // The demo's deployments are already in the log (a finished deployment writes an entry).
      await page.getByText("Deployment of 1.5.0 to staging succeeded").first().waitFor();
      await page.getByRole("button", { name: "New entry" }).click();
      const dialog = page.getByRole("dialog", { name: "New operations log entry" });
      await dialog.getByLabel("Environment").selectOption("production");
      await dialog.getByLabel("Type").selectOption("Deployed");
      // No description: the server refuses and says so on the field.
      await dialog.getByRole("button", { name: "Record entry" }).click();
      const description = dialog.getByLabel("Description");
      await expect.poll(() => description.getAttribute("aria-invalid")).toBe("true");
      await description.fill("Deployed v9.9.9 from the browser test");
      await dialog.getByLabel("Version").fill("9.9.9");
      const project = await dialog.getByLabel("Project").inputValue();
      const projectName = (await dialog.getByLabel("Project").locator("option:checked").textContent()) ?? "";
      await dialog.getByRole("button", { name: "Record entry" }).click();
      await dialog.waitFor({ state: "detached" });
      const entry = row(page, "Deployed v9.9.9 from the browser test");
      await entry.waitFor();
      const link = entry.getByRole("link", { name: projectName });
      expect(await link.getAttribute("href")).toBe(`/o/demo/projects/${project}`);
      await screenshot(page, "operations-log");

      // The filters live in the URL: a deep link to another type shows nothing, Deployed shows it.
      await page.getByLabel("Type").selectOption("Restarted");
      await page.waitForURL((u) => u.searchParams.get("entry_type") === "Restarted");
      await page.getByText("No entries match these filters").waitFor();
      await page.goBack();
      await entry.waitFor();
      await page.goto(`${imbi.url}/o/demo/operations-log?entry_type=Deployed&environment_slug=production`);
      await entry.waitFor();
      expect(await page.getByLabel("Environment").inputValue()).toBe("production");
      expect(p.errors).toEqual([`HTTP 400: ${imbi.url}/api/operations-log`, REFUSED]);
    } finally {
      await p.close();
    }
  });
});
