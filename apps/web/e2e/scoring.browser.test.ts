// Scores, scoring policies and blueprints in Chromium against `imbi serve --demo`: change a policy
// in the Policies screen and see a project's score move on the Scores page; the server's field
// error on the form; rescore; and the blueprint editor's live validation and impact report.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfinedPage, launchChromium } from "../../../test/harness/browser.ts";
import { appPage, type ImbiServe, screenshot, signIn, startImbiServe } from "../../../test/harness/web.ts";

let imbi: ImbiServe;
let browser: Browser;
let p: ConfinedPage;

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

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await imbi.api(method, path, body);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const storedScore = async (slug: string) =>
  (await json<{ stored_score: number | null }>("GET", `/api/organizations/demo/projects/${slug}/score`))
    .stored_score;
const fmt = (n: number) => String(Math.round(n * 10) / 10);

describe("scoring", () => {
  it("a policy edited in the Policies screen moves a project's score on the Scores page", async () => {
    const { page } = p;
    // Recommendations has no runbook link: "Has a runbook" (weight 25 of 100) scores it 0.
    const project = await json<{ team: { slug: string } | string | null }>(
      "GET",
      "/api/organizations/demo/projects/recommendations",
    );
    const team = typeof project.team === "string" ? project.team : (project.team?.slug ?? "");
    // The demo's projects are scored in the background after it loads.
    await expect
      .poll(
        async () =>
          (
            await json<{ data: { projects: number; scored: number }[] }>(
              "GET",
              "/api/organizations/demo/scores/rollup",
            )
          ).data.every((r) => r.scored === r.projects),
        { timeout: 60_000 },
      )
      .toBe(true);
    const before = await storedScore("recommendations");

    await page.goto(`${imbi.url}/o/demo/scores`);
    const avg = page.getByTestId(`rollup-avg-${team}`);
    await avg.waitFor();
    const avgBefore = await avg.textContent();
    await page.getByTestId("score-recommendations").waitFor();
    expect(await page.getByTestId("score-recommendations").textContent()).toBe(fmt(before as number));
    await page.getByRole("link", { name: `Projects needing attention in ${team}` }).waitFor();
    expect(
      await page.getByRole("link", { name: `Projects needing attention in ${team}` }).getAttribute("href"),
    ).toBe(`/o/demo/projects?team=${team}&sort=score`);
    // The history chart (a lazily loaded chunk) shows today's scoring.
    await page.getByText(/^Average score per team, by day/).waitFor();
    await screenshot(page, "scores");

    await page.goto(`${imbi.url}/o/demo/admin/policies`);
    await page.getByRole("row", { name: /Has a runbook/ }).waitFor();
    await screenshot(page, "policies");
    await page.getByRole("button", { name: "Edit Has a runbook" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit Has a runbook" });
    await dialog.waitFor();
    expect(await page.getByLabel("Link definition").inputValue()).toBe("runbook");

    // The server's refusal lands on the field it is about.
    await page.getByLabel("Weight", { exact: true }).fill("500");
    await dialog.getByRole("button", { name: "Save policy" }).click();
    await expect
      .poll(() => page.getByLabel("Weight", { exact: true }).getAttribute("aria-invalid"))
      .toBe("true");
    expect(await page.locator("#policy-weight-error").textContent()).toMatch(/100/);
    // That refusal is the only failed request of the test.
    expect(p.errors).toEqual([
      expect.stringMatching(/^HTTP 400: .*\/api\/scoring\/policies\/demo-runbook$/),
      expect.stringMatching(/status of 400/),
    ]);
    p.errors.length = 0;
    await screenshot(page, "policy-form-error");

    await page.getByLabel("Weight", { exact: true }).fill("25");
    await page.getByLabel("Score when missing").fill("100");
    await screenshot(page, "policy-form");
    await dialog.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("status").filter({ hasText: "Saved the policy demo-runbook" }).waitFor();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole("row", { name: /Has a runbook/ }).waitFor();

    // Rescoring is asynchronous: the project's stored score moves by the policy's 25 points.
    await expect
      .poll(() => storedScore("recommendations"), { timeout: 30_000 })
      .toBe((before as number) + 25);
    // The policy rescores every project, not only this one: wait until the team's average has
    // stopped moving (the same on two reads a second apart) before comparing with the page.
    const teamAvg = async () =>
      fmt(
        (
          await json<{ data: { key: string; avg_score: number }[] }>(
            "GET",
            "/api/organizations/demo/scores/rollup",
          )
        ).data.find((r) => r.key === team)?.avg_score ?? Number.NaN,
      );
    let avgAfter = await teamAvg();
    await expect
      .poll(
        async () => {
          await new Promise((r) => setTimeout(r, 1000));
          const next = await teamAvg();
          const settled = next === avgAfter;
          avgAfter = next;
          return settled;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    expect(avgAfter).not.toBe(avgBefore);

    await page.goto(`${imbi.url}/o/demo/scores`);
    await expect.poll(() => page.getByTestId(`rollup-avg-${team}`).textContent()).toBe(avgAfter);
    await page.getByText(/^Average score per team, by day/).waitFor();

    await page.goto(`${imbi.url}/o/demo/admin/policies`);
    await page.getByRole("button", { name: "Rescore all projects" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Rescoring \d+ projects/ })
      .waitFor();
    expect(p.errors).toEqual([]);
  });
});

describe("blueprints", () => {
  it("shows live validation errors and the impact of a draft before saving", async () => {
    const { page } = p;
    const bp = await json<{ schema: { properties: Record<string, Record<string, unknown>> } }>(
      "GET",
      "/api/blueprints/Project/service-basics",
    );
    await page.goto(`${imbi.url}/o/demo/admin/blueprints?bp=Project/service-basics`);
    const editor = page.getByRole("textbox", { name: "Schema (JSON)" });
    await editor.waitFor();
    const problems = page.locator("#bp-schema-problems");
    await problems.getByText("The schema is valid.").waitFor();

    const replace = async (text: string) => {
      await editor.click();
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.press("Delete");
      await page.keyboard.insertText(text);
    };
    await replace('{ "type": "object", "properties": { ');
    await problems.getByText(/JSON syntax error/).waitFor();
    await replace('{ "type": "object", "properties": { "tier": { "type": "integr" } } }');
    await problems.getByText(/\/properties\/tier\/type/).waitFor();
    await replace('{ "type": "object", "properties": { "name": { "type": "string" } } }');
    await problems.getByText(/^Line 1: \/properties/).waitFor();
    expect(await page.getByRole("button", { name: "Save blueprint" }).isDisabled()).toBe(true);

    // Narrow `language` to one value: the other languages' projects would fail.
    const narrowed = {
      type: "object",
      properties: { ...bp.schema.properties, language: { type: "string", enum: ["go"] } },
    };
    await replace(JSON.stringify(narrowed, null, 2));
    await problems.getByText("The schema is valid.").waitFor();
    // A changed schema is only saved after its impact was checked.
    expect(await page.getByRole("button", { name: "Save blueprint" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Check impact" }).click();
    const report = page.getByTestId("impact-report");
    await report.getByText(/^\d+ of \d+ projects would become invalid\./).waitFor();
    await report.getByRole("link", { name: "recommendations" }).waitFor(); // python
    expect(await page.getByRole("button", { name: "Save blueprint" }).isDisabled()).toBe(false);
    await screenshot(page, "blueprint-impact");

    // A harmless addition: nothing fails, and it saves.
    const added = {
      type: "object",
      properties: { ...bp.schema.properties, cost_center: { type: "string", maxLength: 32 } },
    };
    await replace(JSON.stringify(added, null, 2));
    await page.getByRole("button", { name: "Check impact" }).click();
    await report.getByText(/^All \d+ projects it applies to stay valid\./).waitFor();
    await page.getByRole("button", { name: "Save blueprint" }).click();
    await page.getByRole("status").filter({ hasText: "Saved the blueprint Service basics." }).waitFor();
    const saved = await json<{ schema: { properties: Record<string, unknown> } }>(
      "GET",
      "/api/blueprints/Project/service-basics",
    );
    expect(saved.schema.properties.cost_center).toEqual({ type: "string", maxLength: 32 });
    expect(p.errors).toEqual([]);
  });
});
