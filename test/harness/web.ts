// The web app end to end: a real `imbi serve --demo` (the compiled CLI, embedded stores, a fresh
// data directory, a free loopback port) and Debian's Chromium driving the built app (dist/web; the
// suite's global setup builds it). Screenshots go to test-results/web/ (CI keeps them as artifacts).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { type ConfinedPage, confinedPage } from "./browser.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "imbi.mjs");
/** Where screenshots are written. */
export const SCREENSHOTS = join(ROOT, "test-results", "web");

/** The demo's administrator (set before the first boot, so tests know the password). */
export const ADMIN = { email: "admin@example.com", password: "Admin-demo-password-1!" } as const;

export interface ImbiServe {
  url: string;
  /** Everything the process wrote on stderr (progress lines, the one-time banner). */
  stderr(): string;
  /** Calls the API as the administrator (bearer token), for arranging what a test needs. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Starts `imbi serve --demo` and waits until the demo organization is loaded. `env` adds
 * settings (e.g. a short IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS).
 */
export async function startImbiServe(env: Record<string, string> = {}): Promise<ImbiServe> {
  const dataDir = await mkdtemp(join(tmpdir(), "imbi-web-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stderr = "";
  const child: ChildProcess = spawn(process.execPath, [BIN, "serve", "--demo"], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ENVIRONMENT: "development",
      IMBI_DATA_DIR: join(dataDir, ".imbi"),
      IMBI_API_HOST: "127.0.0.1",
      IMBI_API_PORT: String(port),
      IMBI_API_URL: `${url}/api`,
      IMBI_ADMIN_EMAIL: ADMIN.email,
      IMBI_ADMIN_PASSWORD: ADMIN.password,
      IMBI_LOG_LEVEL: "warn",
      IMBI_ACCESS_LOG: "false",
      // Many sign-ins from one address in a test run, and more sessions than the default 5 for
      // the administrator (each browser context signs in; the harness keeps its own token too).
      IMBI_AUTH_RATE_LIMIT_LOGIN: "1000/minute",
      IMBI_AUTH_MAX_CONCURRENT_SESSIONS: "100",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (d) => (stderr += d));
  const deadline = Date.now() + 120_000;
  while (!/demo (organization loaded|already loaded)/.test(stderr)) {
    if (child.exitCode !== null) throw new Error(`imbi serve exited (${child.exitCode}):\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`imbi serve did not load the demo within 120 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let token: string | undefined;
  const api: ImbiServe["api"] = async (method, path, body, headers = {}) => {
    if (!token) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(ADMIN),
      });
      if (!res.ok) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { access_token: string }).access_token;
    }
    return fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  };
  return {
    url,
    stderr: () => stderr,
    api,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a user with `role` in the demo organization (password login), through the API. */
export async function createDemoUser(
  imbi: ImbiServe,
  email: string,
  role: string,
  password = "Reader-password-123!",
): Promise<{ email: string; password: string }> {
  const created = await imbi.api("POST", "/api/users", {
    email,
    display_name: email.split("@")[0],
    password,
  });
  if (!created.ok) throw new Error(`create user: ${created.status} ${await created.text()}`);
  const member = await imbi.api("POST", `/api/users/${encodeURIComponent(email)}/organizations`, {
    organization: "demo",
    role,
  });
  if (!member.ok) throw new Error(`add membership: ${member.status} ${await member.text()}`);
  return { email, password };
}

/** A confined page (only the host's origin) on the app. */
export function appPage(browser: Browser, imbi: ImbiServe): Promise<ConfinedPage> {
  return confinedPage(browser, imbi.url);
}

/** Signs in through the login page and waits for the catalog (or the `return_to` target). */
export async function signIn(
  page: Page,
  imbi: ImbiServe,
  who: { email: string; password: string } = ADMIN,
  path = "/login",
): Promise<void> {
  await page.goto(`${imbi.url}${path}`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

/** Saves a full-page screenshot as test-results/web/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
