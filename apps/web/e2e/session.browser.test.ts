// Signing in and staying signed in, in Chromium against a real `imbi serve --demo`: deep links
// through the sign-in page, wrong passwords, a silently refreshed session, an ended session and the
// way back, logging out, the OAuth authorization page's return_to, the theme, the organization
// switcher and the ⌘K palette.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../test/harness/browser.ts";
import {
  ADMIN,
  appPage,
  type ImbiServe,
  screenshot,
  signIn,
  startImbiServe,
} from "../../../test/harness/web.ts";

let imbi: ImbiServe;
let browser: Browser;
beforeAll(async () => {
  [imbi, browser] = await Promise.all([startImbiServe(), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await imbi?.stop();
});

/** What an ended session legitimately logs: the refused API calls (401) and Chromium's note of them. */
const refusals = (errors: string[]) => errors.filter((e) => !/(HTTP 401: .*\/api\/)|(status of 401)/.test(e));

describe("signing in", () => {
  it("a deep link while signed out goes through the sign-in page and back to where it pointed", async () => {
    const p = await appPage(browser, imbi);
    try {
      await p.page.goto(`${imbi.url}/o/demo/teams`);
      await p.page.waitForURL(/\/login\?return_to=/);
      expect(new URL(p.page.url()).searchParams.get("return_to")).toBe("/o/demo/teams");
      await screenshot(p.page, "login");
      // A wrong password: the server's message, on the page, and still on the sign-in page.
      await p.page.getByLabel("Email").fill(ADMIN.email);
      await p.page.getByLabel("Password").fill("not-the-password");
      await p.page.getByRole("button", { name: "Sign in" }).click();
      const alert = p.page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/invalid email or password/i);
      await screenshot(p.page, "login-error");
      await p.page.getByLabel("Password").fill(ADMIN.password);
      await p.page.getByRole("button", { name: "Sign in" }).click();
      await p.page.waitForURL(`${imbi.url}/o/demo/teams`);
      await p.page.getByRole("heading", { level: 1 }).waitFor();
      expect(await p.page.getByTestId("current-user").textContent()).toBeTruthy();
      expect(p.blocked).toEqual([]);
      // The refused login is the only error the page saw.
      expect(p.errors.filter((e) => !e.includes("/api/auth/login") && !e.includes("status of 401"))).toEqual(
        [],
      );
    } finally {
      await p.close();
    }
  });

  it("an expired access token is refreshed without the person noticing", async () => {
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fenvironments");
      await p.page.waitForURL(/\/o\/demo\/environments$/);
      // The access cookie is gone (as when it expires); the refresh cookie is still there.
      await p.page.context().clearCookies({ name: "imbi_access" });
      await p.page.getByRole("link", { name: "Project types" }).first().click();
      await p.page.waitForURL(/\/o\/demo\/project-types$/);
      // And once more on a fresh load of the app — after the first refresh has fully answered: a
      // reload that aborts a refresh in flight loses the rotated refresh cookie, and the next
      // refresh then presents a used token (see the closing note of issue 12: a reuse grace window
      // on the server is the fix, with issue 14's session work).
      await p.page.waitForLoadState("networkidle");
      await p.page.context().clearCookies({ name: "imbi_access" });
      await p.page.reload();
      await p.page.getByRole("heading", { level: 1 }).waitFor();
      // Still signed in, on the page asked for, with a new access cookie.
      expect(p.page.url()).not.toContain("/login");
      const cookies = await p.page.context().cookies();
      expect(cookies.map((c) => c.name)).toContain("imbi_access");
      expect(refusals(p.errors), p.errors.join("\n")).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("a reload while a refresh is in flight keeps the session (the server's reuse grace)", async () => {
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fteams");
      await p.page.waitForURL(/\/o\/demo\/teams$/);
      await p.page.waitForLoadState("networkidle");
      // The person reloads just as the app refreshes: the server has rotated the refresh token,
      // but its answer (with the rotated cookie) dies with the old page.
      let reloading: Promise<unknown> | undefined;
      await p.page.route("**/api/auth/token/refresh", async (route) => {
        if (reloading) return route.continue();
        const before = (await p.page.context().cookies()).filter((c) => c.name === "imbi_refresh");
        await route.fetch();
        // route.fetch() stores the answer's cookies in the context; the browser never saw them.
        await p.page.context().clearCookies({ name: "imbi_access" });
        await p.page.context().addCookies(before);
        reloading = p.page.reload();
        await route.abort("aborted").catch(() => undefined);
      });
      await p.page.context().clearCookies({ name: "imbi_access" });
      await p.page.getByRole("link", { name: "Environments" }).first().click();
      await expect.poll(() => reloading !== undefined).toBe(true);
      await reloading;
      // The reloaded app refreshes with the token the server already used: within the grace it
      // is a retry, not theft — still signed in.
      await p.page.getByRole("heading", { level: 1 }).waitFor();
      expect(p.page.url()).not.toContain("/login");
      await p.page.getByRole("table").first().waitFor();
      expect(await p.page.evaluate(async () => (await fetch("/api/users/me")).status)).toBe(200);
      // Nothing failed but the refused calls that the refresh then let through, and the lost refresh.
      expect(
        refusals(p.errors).filter((e) => !e.includes("token/refresh")),
        p.errors.join("\n"),
      ).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("the Sessions screen shows where you are logged in and logs the other devices out", async () => {
    const laptop = await appPage(browser, imbi);
    const phone = await appPage(browser, imbi);
    try {
      await signIn(phone.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fteams");
      await phone.page.waitForURL(/\/o\/demo\/teams$/);
      await signIn(laptop.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fadmin%2Fsessions");
      await laptop.page.waitForURL(/\/o\/demo\/admin\/sessions$/);
      const table = laptop.page.getByRole("table", { name: "Your sessions" });
      await table.waitFor();
      // This device is marked; the phone's session is one of the others.
      await expect.poll(async () => table.getByText("This device").count()).toBe(1);
      expect(await table.getByRole("row").count()).toBeGreaterThanOrEqual(3);
      await screenshot(laptop.page, "sessions");
      await laptop.page.getByRole("button", { name: "Log out everywhere else" }).click();
      await laptop.page.getByRole("alertdialog").getByRole("button", { name: "Log out" }).click();
      await laptop.page
        .getByRole("status")
        .getByText(/Logged out of \d+ other session/)
        .waitFor();
      await expect.poll(async () => table.getByRole("row").count()).toBe(2); // the header and this device
      // The phone finds its session over at its next request.
      await phone.page.context().clearCookies({ name: "imbi_access" });
      await phone.page.getByRole("link", { name: "Environments" }).first().click();
      await phone.page.waitForURL(/\/login\?expired=1/);
      // The laptop still works.
      expect(await laptop.page.evaluate(async () => (await fetch("/api/users/me")).status)).toBe(200);
    } finally {
      await Promise.all([laptop.close(), phone.close()]);
    }
  });

  it("an ended session sends the person to sign in again, and back to the same screen", async () => {
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fteams");
      await p.page.waitForURL(/\/o\/demo\/teams$/);
      await p.page.waitForLoadState("networkidle");
      // Both cookies gone: the refresh fails too.
      await p.page.context().clearCookies();
      await p.page.getByRole("link", { name: "Link definitions" }).first().click();
      await p.page.waitForURL(/\/login\?/);
      const url = new URL(p.page.url());
      expect(url.searchParams.get("expired")).toBe("1");
      expect(url.searchParams.get("return_to")).toBe("/o/demo/link-definitions");
      expect(await p.page.getByRole("status").first().textContent()).toMatch(/session has ended/i);
      await screenshot(p.page, "login-expired");
      await p.page.getByLabel("Email").fill(ADMIN.email);
      await p.page.getByLabel("Password").fill(ADMIN.password);
      await p.page.getByRole("button", { name: "Sign in" }).click();
      await p.page.waitForURL(/\/o\/demo\/link-definitions$/);
      expect(refusals(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("logging out ends the session: the app asks to sign in again", async () => {
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi);
      await p.page.waitForLoadState("networkidle");
      await p.page.getByRole("button", { name: "Log out" }).click();
      await p.page.waitForURL(/\/login$/);
      // The old session is gone on the server too: the app does not get back in.
      await p.page.goto(`${imbi.url}/o/demo/projects`);
      await p.page.waitForURL(/\/login\?return_to=/);
      expect(refusals(p.errors), p.errors.join("\n")).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe("the OAuth authorization page", () => {
  it("sends a person who signs in with the web app back to the consent page", async () => {
    const reg = await fetch(`${imbi.url}/api/auth/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ redirect_uris: ["http://127.0.0.1:9/callback"], client_name: "Web e2e agent" }),
    });
    expect(reg.status).toBe(201);
    const { client_id } = (await reg.json()) as { client_id: string };
    const q = new URLSearchParams({
      response_type: "code",
      client_id,
      redirect_uri: "http://127.0.0.1:9/callback",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      state: "xyz",
      scope: "imbi",
    });
    const p = await appPage(browser, imbi);
    try {
      await p.page.goto(`${imbi.url}/api/auth/authorize?${q}`);
      await p.page.getByRole("link", { name: "sign in with the Imbi web app" }).click();
      await p.page.waitForURL(/\/login\?return_to=/);
      expect(await p.page.getByText("An application asked to use your Imbi account").count()).toBe(1);
      await p.page.getByLabel("Email").fill(ADMIN.email);
      await p.page.getByLabel("Password").fill(ADMIN.password);
      await p.page.getByRole("button", { name: "Sign in" }).click();
      await p.page.waitForURL((u) => u.pathname === "/api/auth/authorize");
      expect(await p.page.getByRole("heading", { level: 1 }).textContent()).toBe("Authorize application");
      expect(await p.page.getByText("Web e2e agent").count()).toBeGreaterThan(0);
      expect(await p.page.getByText(ADMIN.email).count()).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });
});

describe("around the app", () => {
  it("the theme switches to dark and stays dark after a reload", async () => {
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fteams");
      const html = p.page.locator("html");
      const themeButton = p.page.getByRole("button", { name: /^Theme:/ });
      // system → light → dark
      while (!((await themeButton.getAttribute("aria-label")) ?? "").startsWith("Theme: dark"))
        await themeButton.click();
      expect(await html.getAttribute("class")).toContain("dark");
      const bg = await p.page.$eval("body", (e) => getComputedStyle(e).backgroundColor);
      await p.page.reload();
      await p.page.getByRole("heading", { level: 1 }).waitFor();
      expect(await html.getAttribute("class")).toContain("dark");
      expect(await p.page.$eval("body", (e) => getComputedStyle(e).backgroundColor)).toBe(bg);
      await screenshot(p.page, "teams-dark");
      expect(refusals(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("the organization switcher keeps the screen and changes the organization in the URL", async () => {
    expect(
      (await imbi.api("POST", "/api/organizations", { slug: "second", name: "Second Org" })).status,
    ).toBe(201);
    const joined = await imbi.api("POST", `/api/users/${encodeURIComponent(ADMIN.email)}/organizations`, {
      organization: "second",
      role: "admin",
    });
    expect(joined.ok).toBe(true);
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fenvironments");
      await p.page.getByLabel("Organization").first().selectOption("second");
      await p.page.waitForURL(/\/o\/second\/environments$/);
      await p.page.goBack();
      await p.page.waitForURL(/\/o\/demo\/environments$/);
      expect(await p.page.getByLabel("Organization").first().inputValue()).toBe("demo");
      expect(refusals(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("⌘K / Ctrl-K searches the catalog and opens what is chosen", async () => {
    const p = await appPage(browser, imbi);
    try {
      await signIn(p.page, imbi, ADMIN, "/login?return_to=%2Fo%2Fdemo%2Fteams");
      await p.page.getByRole("heading", { level: 1 }).waitFor();
      await p.page.keyboard.press("Control+k");
      const box = p.page.getByRole("combobox");
      await box.fill("cart-serv");
      const option = p.page.getByRole("option", { name: /cart-service|cart service/i }).first();
      await option.waitFor();
      await screenshot(p.page, "search-palette");
      await p.page.keyboard.press("Enter");
      await p.page.waitForURL(/\/o\/demo\/projects\/[^/?]+$/);
      // The palette closed and the project's page is showing.
      expect(await p.page.getByRole("dialog").count()).toBe(0);
      expect(refusals(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
