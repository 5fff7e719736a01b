// Identity administration in Chromium against `imbi serve --demo`: an administrator creates a
// user and gives them `readonly` in demo through the UI, and that user then sees no admin entries
// and no create buttons; an API key's secret is shown exactly once; the organizations screen
// lists demo and default; every admin screen renders (screenshots kept as artifacts).
import { generateKeyPairSync } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConfinedPage, launchChromium } from "../../../test/harness/browser.ts";
import { appPage, type ImbiServe, screenshot, signIn, startImbiServe } from "../../../test/harness/web.ts";

let imbi: ImbiServe;
let browser: Browser;
beforeAll(async () => {
  [imbi, browser] = await Promise.all([startImbiServe(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await imbi?.stop();
});

async function asAdmin(): Promise<ConfinedPage> {
  const p = await appPage(browser, imbi);
  await signIn(p.page, imbi);
  return p;
}

describe("admin", () => {
  it("creates a user, gives them readonly in demo, and that user sees no admin screens or create buttons", async () => {
    const admin = await asAdmin();
    const { page } = admin;
    try {
      await page.goto(`${imbi.url}/o/demo/admin/users`);
      await page.getByRole("row").filter({ hasText: "admin@example.com" }).waitFor();
      await page.getByRole("button", { name: "New user" }).click();
      const create = page.getByRole("dialog", { name: "New user" });
      await create.getByLabel("Email").fill("reader@example.com");
      await create.getByLabel("Display name").fill("Rita Reader");
      await create.getByLabel("Password").fill("Reader-password-123!");
      await create.getByRole("button", { name: "Create user" }).click();
      await create.waitFor({ state: "detached" });
      await page.getByRole("row").filter({ hasText: "reader@example.com" }).waitFor();
      await screenshot(page, "admin-users");

      await page.getByRole("button", { name: "Manage reader@example.com" }).click();
      await page.waitForURL((u) => u.searchParams.get("user") === "reader@example.com");
      const user = page.getByRole("dialog", { name: "Rita Reader" });
      await user.getByText("Not a member of any organization").waitFor();
      await user.getByLabel("Organization").selectOption("demo");
      await user.getByLabel("Role", { exact: true }).selectOption("readonly");
      await user.getByRole("button", { name: "Add membership" }).click();
      await user.getByRole("listitem").filter({ hasText: "demo" }).waitFor();
      expect(await user.getByLabel("Role in demo").inputValue()).toBe("readonly");
      await screenshot(page, "admin-user");
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.close();
    }

    const reader = await appPage(browser, imbi);
    try {
      await signIn(reader.page, imbi, { email: "reader@example.com", password: "Reader-password-123!" });
      await reader.page.goto(`${imbi.url}/o/demo/teams`);
      await reader.page.getByRole("row").filter({ hasText: "Platform" }).waitFor();
      const nav = reader.page.getByRole("navigation").first();
      await nav.getByRole("link", { name: "Teams" }).waitFor();
      // readonly holds no write permission for these (it does hold user:read, role:read and
      // blueprint:read in demo, which the shell's navigation shows entries for).
      for (const entry of ["Service accounts", "Organizations", "Scoring policies"])
        expect(await reader.page.getByRole("link", { name: entry, exact: true }).count(), entry).toBe(0);
      expect(await reader.page.getByRole("button", { name: "New team" }).count()).toBe(0);
      expect(await reader.page.getByRole("button", { name: /^(Edit|Delete) / }).count()).toBe(0);
      await screenshot(reader.page, "teams-readonly");
      await reader.page.goto(`${imbi.url}/o/demo/environments`);
      await reader.page.getByRole("row").filter({ hasText: "Production" }).waitFor();
      expect(await reader.page.getByRole("button", { name: "New environment" }).count()).toBe(0);
      await reader.page.goto(`${imbi.url}/o/demo/operations-log`);
      await reader.page.getByText("Deployment of 1.5.0 to staging succeeded").first().waitFor();
      await reader.page
        .getByLabel("Environment")
        .locator("option", { hasText: "Production" })
        .waitFor({ state: "attached" });
      await reader.page
        .getByLabel("Project")
        .locator("option", { hasText: "Account Deletion" })
        .waitFor({ state: "attached" });
      expect(await reader.page.getByRole("button", { name: "New entry" }).count()).toBe(0);
      await reader.page.goto(`${imbi.url}/o/demo/admin/roles`);
      await reader.page.getByRole("row").filter({ hasText: "readonly" }).waitFor();
      expect(await reader.page.getByRole("button", { name: "New role" }).count()).toBe(0);
      expect(await reader.page.getByRole("button", { name: /^(Edit|Delete) / }).count()).toBe(0);
      // The users list needs user:read globally: a deep link shows the server's refusal.
      await reader.page.goto(`${imbi.url}/o/demo/admin/users`);
      await reader.page.getByRole("alert").filter({ hasText: "user:read is required globally" }).waitFor();
      expect(await reader.page.getByRole("button", { name: "New user" }).count()).toBe(0);
      expect(reader.errors).toEqual([
        `HTTP 403: ${imbi.url}/api/users?limit=100`,
        "console: Failed to load resource: the server responded with a status of 403 (Forbidden)",
      ]);
    } finally {
      await reader.close();
    }
  });

  it("logs a user out everywhere: their open app asks them to sign in again", async () => {
    const reader = await appPage(browser, imbi);
    const admin = await asAdmin();
    try {
      await signIn(reader.page, imbi, { email: "reader@example.com", password: "Reader-password-123!" });
      await reader.page.goto(`${imbi.url}/o/demo/teams`);
      await reader.page.getByRole("row").filter({ hasText: "Platform" }).waitFor();
      await admin.page.goto(`${imbi.url}/o/demo/admin/users?user=reader%40example.com`);
      const user = admin.page.getByRole("dialog", { name: "Rita Reader" });
      await user.getByRole("button", { name: "Log out everywhere" }).click();
      await admin.page.getByRole("alertdialog").getByRole("button", { name: "Log out everywhere" }).click();
      await admin.page.getByText(/Logged reader@example\.com out of [1-9]\d* session/).waitFor();
      // The reader's next request finds the session over.
      await reader.page.context().clearCookies({ name: "imbi_access" });
      await reader.page.getByRole("link", { name: "Environments" }).first().click();
      await reader.page.waitForURL(/\/login\?expired=1/);
      expect(admin.errors).toEqual([]);
    } finally {
      await Promise.all([reader.close(), admin.close()]);
    }
  });

  it("shows a new API key's secret once: gone after closing the dialog and reloading", async () => {
    const p = await asAdmin();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/admin/api-keys`);
      await page.getByText("No API keys yet").waitFor();
      await page.getByRole("button", { name: "New API key" }).click();
      const create = page.getByRole("dialog", { name: "New API key" });
      await create.getByLabel("Name").fill("CI deploys");
      await create.getByLabel("Expires in (days)").fill("30");
      await create.getByRole("button", { name: "Create key" }).click();
      const shown = page.getByRole("dialog", { name: "API key “CI deploys”" });
      await shown.waitFor();
      expect(await shown.getByRole("alert").textContent()).toMatch(/only time it is shown/);
      const secret = await shown.getByLabel("The key").inputValue();
      expect(secret).toMatch(/^ik_[0-9a-f]{32}_\S+$/);
      await screenshot(page, "admin-api-key-secret");
      // The key works (it is the real secret).
      const whoami = await fetch(`${imbi.url}/api/users/me`, {
        headers: { Authorization: `Bearer ${secret}` },
      });
      expect(whoami.status).toBe(200);

      await shown.getByRole("button", { name: "I have stored it" }).click();
      await shown.waitFor({ state: "detached" });
      const row = page.getByRole("row").filter({ hasText: "CI deploys" });
      await row.waitFor();
      expect(await page.content()).not.toContain(secret);
      await page.reload();
      await row.waitFor();
      expect(await row.textContent()).toContain(secret.split("_")[1]);
      expect(await page.content()).not.toContain(secret);
      await screenshot(page, "admin-api-keys");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("lists the organizations (demo and default), the roles and the service accounts", async () => {
    const p = await asAdmin();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/admin/organizations`);
      const orgs = page.getByRole("table", { name: "Organizations" });
      await orgs.getByRole("row").filter({ hasText: "demo" }).waitFor();
      expect(await orgs.getByRole("row").filter({ hasText: "default" }).count()).toBe(1);
      await page.getByRole("button", { name: "Members of Demo Commerce" }).click();
      await page
        .getByRole("dialog", { name: "Members of demo" })
        .getByRole("list", { name: "Members" })
        .waitFor();
      await screenshot(page, "admin-organizations");
      await page.keyboard.press("Escape");

      await page.goto(`${imbi.url}/o/demo/admin/roles`);
      const roles = page.getByRole("table", { name: "Roles" });
      await roles.getByRole("row").filter({ hasText: "readonly" }).waitFor();
      // System roles are fixed: no edit or delete for them.
      expect(await page.getByRole("button", { name: "Edit Read-only" }).count()).toBe(0);
      await screenshot(page, "admin-roles");
      await page.getByRole("button", { name: "Permissions of Read-only" }).click();
      const perms = page.getByRole("dialog", { name: "Permissions of Read-only" });
      const projectRead = perms.getByRole("checkbox", { name: "project:read" });
      await projectRead.waitFor();
      expect(await projectRead.isChecked()).toBe(true);
      expect(await projectRead.isDisabled()).toBe(true);
      await page.keyboard.press("Escape");

      await page.goto(`${imbi.url}/o/demo/admin/service-accounts`);
      const accounts = page.getByRole("table", { name: "Service accounts" });
      await accounts.getByRole("row").filter({ hasText: "imbi-gateway" }).waitFor();
      await screenshot(page, "admin-service-accounts");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("creates a custom role and grants it a permission", async () => {
    const p = await asAdmin();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/admin/roles`);
      await page.getByRole("button", { name: "New role" }).click();
      const create = page.getByRole("dialog", { name: "New role" });
      await create.getByLabel("Name").fill("Auditor");
      await create.getByLabel("Slug").fill("auditor");
      await create.getByRole("button", { name: "Create role" }).click();
      await create.waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Permissions of Auditor" }).click();
      const perms = page.getByRole("dialog", { name: "Permissions of Auditor" });
      await perms.getByRole("checkbox", { name: "audit_log:read" }).check();
      await perms.getByRole("status").filter({ hasText: "Granted audit_log:read." }).waitFor();
      const role = (await (await imbi.api("GET", "/api/roles/auditor")).json()) as { permissions: string[] };
      expect(role.permissions).toContain("audit_log:read");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("creates a service account with a role, a client credential (secret shown once) and a signing key", async () => {
    const p = await asAdmin();
    const { page } = p;
    try {
      await page.goto(`${imbi.url}/o/demo/admin/service-accounts`);
      await page.getByRole("button", { name: "New service account" }).click();
      const create = page.getByRole("dialog", { name: "New service account" });
      await create.getByLabel("Display name").fill("Deploy bot");
      await create.getByLabel("Slug").fill("deploy-bot");
      await create.getByLabel(/^Active/).check();
      await create.getByRole("button", { name: "Create service account" }).click();
      await create.waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Manage Deploy bot" }).click();
      const account = page.getByRole("dialog", { name: "Service account deploy-bot" });
      await account.getByLabel("Organization").selectOption("demo");
      await account.getByLabel("Role", { exact: true }).selectOption("developer");
      await account.getByRole("button", { name: "Add membership" }).click();
      await account.getByRole("list", { name: "Memberships" }).getByText("Demo Commerce").waitFor();

      await account.getByLabel("New credential name").fill("github actions");
      await account.getByRole("button", { name: "Create credential" }).click();
      const secretDialog = page.getByRole("dialog", { name: "Client secret for github actions" });
      const secret = await secretDialog.getByLabel("Client secret").inputValue();
      expect(secret.length).toBeGreaterThan(20);
      await screenshot(page, "admin-service-account-secret");
      await secretDialog.getByRole("button", { name: "I have stored it" }).click();
      await secretDialog.waitFor({ state: "detached" });
      await account.getByRole("list", { name: "Client credentials" }).getByText("github actions").waitFor();
      expect(await page.content()).not.toContain(secret);

      const { publicKey } = generateKeyPairSync("ed25519");
      await account.getByLabel("Key name").fill("laptop");
      await account.getByLabel("Public JWK").fill("not json");
      await account.getByRole("button", { name: "Register key" }).click();
      await expect.poll(() => account.getByLabel("Public JWK").getAttribute("aria-invalid")).toBe("true");
      await account.getByLabel("Public JWK").fill(JSON.stringify(publicKey.export({ format: "jwk" })));
      await account.getByRole("button", { name: "Register key" }).click();
      await account.getByRole("list", { name: "Signing keys" }).getByText("laptop").waitFor();
      await screenshot(page, "admin-service-account");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
