// What a person sees: `/` and `/docs` of the real Node host in Debian's Chromium, with every
// request to another origin aborted — the pages must work with no internet, under their CSP.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confinedPage, launchChromium } from "../../test/harness/browser.ts";
import { startNodeHost, type TestNodeHost } from "../../test/harness/node_host.ts";

let host: TestNodeHost;
let browser: Browser;
beforeAll(async () => {
  // API only: `/` is the landing page (the web app has its own browser tests in apps/web/e2e).
  [host, browser] = await Promise.all([startNodeHost({ IMBI_WEB_APP: "false" }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("in Chromium, offline", () => {
  it("Swagger UI at /docs renders every operation of the OpenAPI document", async () => {
    const doc = (await (await fetch(`${host.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const p = await confinedPage(browser, host.url);
    try {
      await p.page.goto(`${host.url}/docs`);
      await p.page.locator(".opblock").first().waitFor({ timeout: 30_000 });
      // Swagger UI renders the operations near the viewport only (a large document is windowed),
      // so the page is read while it is scrolled from top to bottom.
      const shown = new Set<string>();
      for (let step = 0; step < 400; step++) {
        const visible = await p.page.$$eval(".opblock-summary", (els) =>
          els.map(
            (e) =>
              `${e.querySelector(".opblock-summary-method")?.textContent?.trim()} ${e
                .querySelector(".opblock-summary-path")
                ?.getAttribute("data-path")}`,
          ),
        );
        for (const op of visible) shown.add(op);
        const atBottom = await p.page.evaluate(() => {
          const before = window.scrollY;
          window.scrollBy(0, window.innerHeight / 2);
          return window.scrollY === before;
        });
        if (atBottom && shown.size >= expected.length) break;
        await p.page.waitForTimeout(atBottom ? 100 : 30);
      }
      await p.page.evaluate(() => window.scrollTo(0, 0));
      expect([...shown].sort()).toEqual(expected);
      expect(await p.page.title()).toBe("Imbi API — Swagger UI");
      expect(p.blocked).toEqual([]);
      expect(p.errors).toEqual([]);
      expect(p.requested.some((u) => u.endsWith("/swagger-ui-bundle.js"))).toBe(true);
      expect(p.requested.some((u) => u.endsWith("/swagger-ui.css"))).toBe(true);
      // The stylesheet applied (Swagger UI's own layout, not the browser's defaults).
      const font = await p.page.$eval(".swagger-ui .info .title", (e) => getComputedStyle(e).fontFamily);
      expect(font).toMatch(/sans-serif/);
      // "Try it out" calls the API from the page (connect-src 'self').
      const op = p.page.locator("#operations-status-getLiveness");
      await op.locator(".opblock-summary").click();
      await op.getByRole("button", { name: "Try it out" }).click();
      await op.getByRole("button", { name: "Execute" }).click();
      await expect
        .poll(() => op.locator(".live-responses-table tbody .response-col_status").first().textContent())
        .toBe("200");
      expect(p.requested).toContain(`${host.url}/status`);
    } finally {
      await p.close();
    }
  });

  it("the page at / is styled under its CSP and links to the docs", async () => {
    const p = await confinedPage(browser, host.url);
    try {
      await p.page.goto(`${host.url}/`);
      expect(await p.page.locator("h1").textContent()).toBe("Imbi");
      // The nonce'd inline stylesheet applied (46rem = 736px): the CSP let it through.
      expect(await p.page.$eval("body", (e) => getComputedStyle(e).maxWidth)).toBe("736px");
      await p.page.getByRole("link", { name: "API documentation" }).click();
      await p.page.waitForURL(`${host.url}/docs`);
      await p.page.locator(".opblock").first().waitFor({ timeout: 30_000 });
      expect(p.blocked).toEqual([]);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
