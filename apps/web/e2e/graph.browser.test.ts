// The dependency graphs in Chromium against `imbi serve --demo`: the organization graph (every
// project, then clustered by team and a team expanded, click-through to a project) and a
// project's graph (its dependencies as graph-node-<slug>, depth, path highlight).
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

describe("organization graph", () => {
  it("draws the demo's projects, filters by team in the URL, and clusters by team", async () => {
    const { page } = p;
    await page.goto(`${imbi.url}/o/demo/graph`);
    await expect.poll(() => page.getByRole("status").filter({ hasText: "60 projects" }).count()).toBe(1);
    await page.getByTestId("graph-node-web-bff").waitFor();
    await screenshot(page, "org-graph");

    await page.getByLabel("Team", { exact: true }).selectOption("checkout");
    await page.waitForURL(/team=checkout/);
    await page.getByText("11 projects", { exact: false }).first().waitFor();
    await page.getByTestId("graph-node-order-service").waitFor();
    expect(await page.getByTestId("graph-node-web-bff").count()).toBe(0);
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes("team="));

    await page.getByLabel("Show").selectOption("team");
    await page.waitForURL(/group=team/);
    const checkout = page.getByRole("button", { name: /^Team checkout\s*11 projects · click to expand$/ });
    await checkout.waitFor();
    await expect.poll(() => page.getByRole("button", { name: /^Team .*click to expand$/ }).count()).toBe(6);
    expect(await page.getByTestId("graph-node-order-service").count()).toBe(0);
    await screenshot(page, "org-graph-clustered");

    await checkout.click();
    await page.waitForURL(/expand=checkout/);
    await page.getByTestId("graph-node-order-service").waitFor();
    expect(await page.getByRole("button", { name: /^Team checkout/ }).count()).toBe(0);
    await screenshot(page, "org-graph-expanded");

    await page.getByTestId("graph-node-order-service").click();
    await page.waitForURL(/\/o\/demo\/projects\/order-service$/);
    expect(p.errors).toEqual([]);
  });
});

describe("project graph", () => {
  it("shows a project's dependencies, more with depth, and the path to another project", async () => {
    const { page } = p;
    await page.goto(`${imbi.url}/o/demo/graph?focus=order-service&depth=1`);
    for (const slug of ["order-service", "cart-service", "payment-gateway", "fraud-detection", "orders-db"])
      await page.getByTestId(`graph-node-${slug}`).waitFor();
    expect(await page.getByTestId("graph-node-order-service").getAttribute("data-focus")).toBe("true");
    // cart-service depends on pricing-service: two hops away.
    expect(await page.getByTestId("graph-node-pricing-service").count()).toBe(0);

    await page.getByLabel("Depth").selectOption("2");
    await page.getByTestId("graph-node-pricing-service").waitFor();
    expect(new URL(page.url()).searchParams.get("depth")).toBeNull(); // 2 is the default

    await page.locator("label", { hasText: "Depended on by" }).click();
    await page.waitForURL(/direction=upstream/);
    await expect.poll(() => page.getByRole("radio", { name: "Depended on by" }).isChecked()).toBe(true);
    await page.getByTestId("graph-node-invoice-generator").waitFor();
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes("direction="));
    await expect.poll(() => page.getByRole("radio", { name: "Depends on" }).isChecked()).toBe(true);

    await page.getByLabel("Highlight path to").selectOption("config-service");
    await page
      .getByRole("status")
      .filter({ hasText: "Path: Order Service → Payment Gateway → Config Service." })
      .waitFor();
    expect(await page.getByTestId("graph-node-payment-gateway").getAttribute("data-on-path")).toBe("true");
    expect(await page.getByTestId("graph-node-cart-service").getAttribute("data-on-path")).toBeNull();
    await screenshot(page, "project-graph");

    await page.getByTestId("graph-node-payment-gateway").click();
    await page.waitForURL(/\/o\/demo\/projects\/payment-gateway$/);
    expect(p.errors).toEqual([]);
  });
});
