// Automations in Chromium against `imbi serve --demo`: an administrator creates an inbound
// webhook (its secret and receiver URL shown once), writes a rule, sees the server's CEL error on
// a broken one, and after a signed GitHub delivery posted by the test sees it in the delivery log
// with each rule's outcome, then replays it; a read-only member sees the webhooks but no
// controls; a subscription to a private address shows the SSRF refusal on its URL field, and a
// public one shows its whsec_ secret once.
import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import type { Browser } from "playwright-core";
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
let project: { id: string; name: string };

async function ok(res: Promise<Response>): Promise<unknown> {
  const r = await res;
  const text = await r.text();
  if (!r.ok) throw new Error(`${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  [imbi, browser] = await Promise.all([startImbiServe(), launchChromium()]);
  // The rules' identity: a service account that is a member of demo with the gateway's role.
  await ok(
    imbi.api("POST", "/api/service-accounts", { slug: "github-gateway", display_name: "GitHub gateway" }),
  );
  await ok(
    imbi.api("POST", "/api/service-accounts/github-gateway/organizations", {
      organization: "demo",
      role: "imbi-gateway",
    }),
  );
  // Repository 424242 is this demo project.
  const page = (await ok(imbi.api("GET", "/api/organizations/demo/projects?limit=1"))) as {
    data: { id: string; name: string }[];
  };
  project = page.data[0] as { id: string; name: string };
  await ok(
    imbi.api("PATCH", `/api/organizations/demo/projects/${project.id}`, [
      { op: "add", path: "/identifiers/github", value: "424242" },
    ]),
  );
});
afterAll(async () => {
  await browser?.close();
  await imbi?.stop();
});

const RULES = JSON.stringify(
  [
    {
      name: "Log pushes",
      filter: 'event == "push"',
      action: "log_operation",
      config: { environment: '"production"', description: '"Pushed " + payload.after' },
    },
  ],
  null,
  2,
);

/** What the page records for one expected 400 answer. */
const refused = (path: string) => [
  `HTTP 400: ${imbi.url}${path}`,
  "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
];

describe("automations", () => {
  let secret = "";
  let receiver = "";

  it("creates a webhook, shows its secret once, and shows the server's rule errors", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    try {
      await signIn(page, imbi);
      await page.goto(`${imbi.url}/o/demo/admin/webhooks`);
      await page
        .getByRole("navigation", { name: "Administration" })
        .getByRole("link", { name: "Webhooks" })
        .waitFor();
      await page.getByText("No webhooks yet").waitFor();
      await page.getByRole("button", { name: "New webhook" }).click();
      const dialog = page.getByRole("dialog", { name: "New webhook" });
      // The provider's default selectors are filled in.
      expect(await dialog.getByLabel("Identifier selector").inputValue()).toBe("/repository/id");
      await dialog.getByLabel("Name").fill("GitHub");
      await dialog.getByLabel("Slug").fill("github");
      await dialog.getByLabel("Service account").selectOption("github-gateway");
      await screenshot(page, "webhook-create");
      await dialog.getByRole("button", { name: "Create webhook" }).click();

      const once = page.getByRole("dialog", { name: "Webhook created" });
      await once.getByText("You won't see this secret again.").waitFor();
      // Webhook secrets are kept encrypted (they sign and verify), not hashed: the warning says so.
      await once.getByText(/keeps it encrypted/).waitFor();
      expect(await once.getByText(/only a hash/).count()).toBe(0);
      secret = await once.getByLabel("Secret").inputValue();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      receiver = await once.getByLabel(/Receiver URL/).inputValue();
      expect(receiver).toMatch(new RegExp(`^${imbi.url}/api/webhooks/whk_`));
      await screenshot(page, "webhook-secret-once");
      await once.getByRole("button", { name: "I have stored it" }).click();
      await page.waitForURL(
        (u) => u.pathname === "/o/demo/admin/webhooks/github" && u.searchParams.get("tab") === "rules",
      );

      const editor = page.getByRole("textbox", { name: "Rules (JSON)" });
      const replace = async (text: string) => {
        await editor.click();
        await page.keyboard.press("ControlOrMeta+a");
        await page.keyboard.press("Delete");
        await page.keyboard.insertText(text);
      };
      await replace(RULES);
      await page.getByRole("button", { name: "Save rules" }).click();
      await page.getByText("Rules saved.").waitFor();

      // A filter that is not CEL: the server's error names the rule's field, beside the editor.
      await replace(RULES.replace('event == \\"push\\"', "event =="));
      await page.getByRole("button", { name: "Save rules" }).click();
      const problems = page.locator("#rules-problems").getByRole("alert");
      await problems.getByText(/^rules\.0\.filter: /).waitFor();
      await screenshot(page, "webhook-rules-error");
      await page.getByRole("button", { name: "Discard changes" }).click();
      expect(await problems.count()).toBe(0);

      // The list shows it with its rule count.
      await page.getByRole("link", { name: "Webhooks", exact: true }).first().click();
      const row = page.getByRole("row").filter({ hasText: "github-gateway" });
      await row.getByRole("cell", { name: "1", exact: true }).waitFor();
      await screenshot(page, "webhooks");
      // The only refusal is the bad rule's 400.
      expect(p.errors).toEqual(refused("/api/organizations/demo/webhooks/github"));
    } finally {
      await p.close();
    }
  });

  it("logs a signed GitHub delivery with each rule's outcome, and replays it", async () => {
    const body = JSON.stringify({
      ref: "refs/heads/main",
      after: "8f2c1d0",
      repository: { id: 424242, full_name: "demo/service" },
      sender: { login: "octocat" },
    });
    const res = await fetch(receiver, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": randomUUID(),
        "X-Hub-Signature-256": await sign(secret, body),
      },
      body,
    });
    expect(res.status).toBe(202);

    const p = await appPage(browser, imbi);
    const { page } = p;
    try {
      await signIn(page, imbi);
      await page.goto(`${imbi.url}/o/demo/admin/webhooks/github?tab=deliveries`);
      const row = page.getByRole("row").filter({ hasText: "push" });
      await row.getByText("processed", { exact: true }).waitFor();
      await row.getByRole("link", { name: project.name }).waitFor();
      await row.getByRole("button", { name: /^Details of delivery push/ }).click();
      await page.waitForURL((u) => Boolean(u.searchParams.get("delivery")));
      const outcome = page
        .getByRole("table", { name: "Rule outcomes" })
        .getByRole("row")
        .filter({ hasText: "Log pushes" });
      await outcome.getByText("succeeded").waitFor();
      await outcome.getByText("log_operation").waitFor();
      await page
        .getByRole("region", { name: "Headers" })
        .getByText(/"x-hub-signature-256": "\[redacted\]"/)
        .waitFor();
      await page
        .getByRole("region", { name: "Payload" })
        .getByText(/"login": "octocat"/)
        .waitFor();
      await screenshot(page, "webhook-deliveries");

      const processedAt = async () => {
        const list = (await ok(imbi.api("GET", "/api/organizations/demo/webhooks/github/deliveries"))) as {
          data: { processed_at: string | null }[];
        };
        return list.data[0]?.processed_at;
      };
      const before = await processedAt();
      await row.getByRole("button", { name: "Replay" }).click();
      await row.getByText("Replay queued: the rules run again.").waitFor();
      // Replayed: processed again (the list polls while it is pending), with no refusal shown.
      await row.getByText("processed", { exact: true }).waitFor();
      await outcome.getByText("succeeded").waitFor();
      expect(await page.getByRole("alert").count()).toBe(0);
      await expect.poll(processedAt).not.toBe(before);

      // The status filter is in the URL.
      await page.getByLabel("Status").selectOption("dead");
      await page.waitForURL((u) => u.searchParams.get("status") === "dead");
      await page.getByText("No dead deliveries").waitFor();
      // The expanded delivery in the dark theme (screenshot).
      await page.evaluate(() => localStorage.setItem("imbi.theme", "dark"));
      await page.getByLabel("Status").selectOption("");
      await row.getByText("processed", { exact: true }).waitFor();
      await page.reload();
      await outcome.getByText("succeeded").waitFor();
      await screenshot(page, "webhook-deliveries-dark");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("a read-only member sees the webhooks but no controls, and no subscriptions", async () => {
    const who = await createDemoUser(imbi, "watcher@example.com", "readonly");
    const p = await appPage(browser, imbi);
    const { page } = p;
    try {
      await signIn(page, imbi, who);
      await page.goto(`${imbi.url}/o/demo/admin/webhooks`);
      await page.getByRole("row").filter({ hasText: "github-gateway" }).waitFor();
      expect(await page.getByRole("button", { name: "New webhook" }).count()).toBe(0);
      const admin = page.getByRole("navigation", { name: "Administration" });
      await admin.getByRole("link", { name: "Webhooks" }).waitFor();
      expect(await admin.getByRole("link", { name: "Subscriptions" }).count()).toBe(0);
      await page.getByRole("link", { name: "GitHub" }).click();
      await page.getByRole("heading", { level: 1, name: "GitHub" }).waitFor();
      await page.getByLabel("Name").waitFor();
      for (const name of ["Save settings", "Rotate secret", "Delete", "Deactivate"])
        expect(await page.getByRole("button", { name }).count(), name).toBe(0);
      expect(await page.getByLabel("Name").getAttribute("readonly")).not.toBeNull();
      await page.getByRole("tab", { name: "Deliveries" }).click();
      await page.getByRole("row").filter({ hasText: "push" }).first().waitFor();
      expect(await page.getByRole("button", { name: "Replay" }).count()).toBe(0);
      await screenshot(page, "webhook-readonly");
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("refuses a subscription to a private address on its URL field, and shows a new one's secret once", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    try {
      await signIn(page, imbi);
      await page.goto(`${imbi.url}/o/demo/admin/subscriptions`);
      await page.getByText("No subscriptions yet").waitFor();
      await page.getByRole("button", { name: "New subscription" }).click();
      const dialog = page.getByRole("dialog", { name: "New subscription" });
      await dialog.getByLabel("URL").fill("https://10.0.0.1/x");
      await dialog.getByLabel("project", { exact: true }).check();
      await dialog.getByRole("button", { name: "Create subscription" }).click();
      const url = dialog.getByLabel("URL");
      await page.locator("#sub-url-error").waitFor();
      expect(await url.getAttribute("aria-invalid")).toBe("true");
      expect(await url.getAttribute("aria-describedby")).toBe("sub-url-error");
      await screenshot(page, "subscription-ssrf");

      await url.fill("https://93.184.216.34/imbi");
      await dialog.getByRole("button", { name: "Create subscription" }).click();
      const once = page.getByRole("dialog", { name: "Subscription created" });
      expect(await once.getByLabel("Signing secret").inputValue()).toMatch(/^whsec_/);
      await once.getByRole("button", { name: "I have stored it" }).click();
      await page.waitForURL((u) => /^\/o\/demo\/admin\/subscriptions\/sub_/.test(u.pathname));
      await page.getByRole("heading", { name: "Circuit breaker" }).waitFor();
      await page.getByText("0 failures in a row").waitFor();
      await page.getByLabel("Status").selectOption("dead");
      await page.waitForURL((u) => u.searchParams.get("status") === "dead");
      await page.getByText("No dead deliveries").waitFor();
      await screenshot(page, "subscription");
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
      await page.waitForURL((u) => u.pathname === "/o/demo/admin/subscriptions");
      await page.getByText("No subscriptions yet").waitFor();
      // The only refusal is the private address's 400.
      expect(p.errors).toEqual(refused("/api/organizations/demo/subscriptions"));
    } finally {
      await p.close();
    }
  });
  it("saves settings with If-Match (a concurrent change is a 412 with a reload), deactivates, rotates and deletes", async () => {
    const p = await appPage(browser, imbi);
    const { page } = p;
    try {
      await signIn(page, imbi);
      await page.goto(`${imbi.url}/o/demo/admin/webhooks/github`);
      await page.getByLabel("Description").fill("From the UI");
      // Someone else changes it in between.
      await ok(
        imbi.api("PATCH", "/api/organizations/demo/webhooks/github", [
          { op: "replace", path: "/name", value: "GitHub (theirs)" },
        ]),
      );
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText(/changed by someone else since you loaded it/).waitFor();
      await page.getByRole("button", { name: "Reload" }).click();
      await page.getByRole("heading", { level: 1, name: "GitHub (theirs)" }).waitFor();
      await page.getByLabel("Description").fill("From the UI");
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect
        .poll(
          async () =>
            (
              (await ok(imbi.api("GET", "/api/organizations/demo/webhooks/github"))) as {
                description: string;
              }
            ).description,
        )
        .toBe("From the UI");

      await page.getByRole("button", { name: "Deactivate" }).click();
      await page.getByRole("button", { name: "Activate" }).waitFor();
      await page.getByText("inactive", { exact: true }).waitFor();

      await page.getByRole("button", { name: "Rotate secret" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
      const once = page.getByRole("dialog", { name: "New webhook secret" });
      const rotated = await once.getByLabel("Secret").inputValue();
      expect(rotated).toMatch(/^[0-9a-f]{64}$/);
      expect(rotated).not.toBe(secret);
      await once.getByRole("button", { name: "I have stored it" }).click();

      await page.getByRole("button", { name: "Delete" }).click();
      const confirm = page.getByRole("alertdialog");
      expect(await confirm.getByRole("button", { name: "Delete" }).isDisabled()).toBe(true);
      await confirm.getByLabel(/Type github to confirm/).fill("github");
      await confirm.getByRole("button", { name: "Delete" }).click();
      await page.waitForURL((u) => u.pathname === "/o/demo/admin/webhooks");
      await page.getByText("No webhooks yet").waitFor();
      expect(p.errors).toEqual([
        `HTTP 412: ${imbi.url}/api/organizations/demo/webhooks/github`,
        "console: Failed to load resource: the server responded with a status of 412 (Precondition Failed)",
      ]);
    } finally {
      await p.close();
    }
  });
});
