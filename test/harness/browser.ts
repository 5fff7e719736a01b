// Debian's Chromium driven by playwright-core (no browser download: Playwright's own builds cannot
// be fetched here), for tests of what a person sees. Every request to another origin is aborted
// and recorded, so a page that would need the internet fails its test instead of hanging.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";

const run = promisify(execFile);

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Flags for a quiet, offline-friendly headless run: no sandbox (tests run as root in CI), no GPU,
 * and none of Chromium's own calls home (updates, sync, safe browsing, field trials).
 */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--no-first-run",
  "--no-default-browser-check",
  "--metrics-recording-only",
];

/**
 * Makes sure Chromium is installed: installs Debian's package when it is missing and that is
 * allowed (root and `CI` or `IMBI_TEST_INSTALL=1`, like the store harnesses); otherwise fails with
 * the command to run.
 */
export async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const mayInstall = process.getuid?.() === 0 && (process.env.CI || process.env.IMBI_TEST_INSTALL === "1");
  if (!mayInstall)
    throw new Error(
      "chromium is not installed. Install it with `sudo apt-get install -y --no-install-recommends chromium` " +
        "(Debian), or run the tests as root with IMBI_TEST_INSTALL=1 to let them install it.",
    );
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update"], { env });
  await run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
  return CHROMIUM;
}

/** Launches headless Chromium; close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await ensureChromium(), headless: true, args: ARGS });
}

/** A page confined to one origin, with what it tried and what went wrong. */
export interface ConfinedPage {
  page: Page;
  /** Every URL the page requested on its origin. */
  requested: string[];
  /** Requests to any other origin (aborted). */
  blocked: string[];
  /** Console errors (CSP violations are reported here), uncaught exceptions, failed requests. */
  errors: string[];
  close(): Promise<void>;
}

/** Opens a page in a fresh context that may only reach `origin`. */
export async function confinedPage(browser: Browser, origin: string): Promise<ConfinedPage> {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  // Fail fast: a page that works renders well within this.
  page.setDefaultTimeout(15_000);
  const out: ConfinedPage = { page, requested: [], blocked: [], errors: [], close: () => context.close() };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || new URL(url).origin === origin) {
      out.requested.push(url);
      return route.continue();
    }
    out.blocked.push(url);
    return route.abort("blockedbyclient");
  });
  page.on("console", (m) => {
    if (m.type() === "error") out.errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => out.errors.push(`exception: ${e.message}`));
  page.on("requestfailed", (r) => {
    const reason = r.failure()?.errorText ?? "";
    // A request cancelled because the page navigated away (or the app aborted it) is not a failure.
    if (reason === "net::ERR_ABORTED") return;
    out.errors.push(`failed: ${r.url()} ${reason}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) out.errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return out;
}
