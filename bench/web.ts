// The web app in a real browser (Debian's Chromium via playwright-core) against `imbi serve` on
// the 10,000-project fixture: the initial download (gzipped JS and CSS of the first page, against
// the 300 KiB budget), the catalog's first load — cold (a new browser context: nothing cached) and
// warm (a reload: hashed files from the cache) — until its first row is on screen, and the org
// graph's first load. The floor of a load is the same requests made from Node without a browser,
// in the three waves a browser cannot avoid (the HTML; the files it names; the API calls the page
// made), so the ratio is what parsing, rendering and the app's own work add. BENCH_ONLY=web;
// BENCH_WEB_WATERFALL=1 prints each load's requests with their start and end times.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext } from "playwright-core";
import { loadEnv, migrateStores, openStores } from "../apps/node/host.ts";
import { seedIdentity } from "../lib/identity/setup.ts";
import { launchChromium } from "../test/harness/browser.ts";
import { generateFixture } from "./fixture.ts";
import { ADMIN, quantile, startImbi, table } from "./lib.ts";

const ORG = "bench";
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 10);
const BUDGET_KIB = 300;
const TARGET_MS = 1000;
const root = new URL("../", import.meta.url).pathname;

/** The gzipped size of the files index.html loads before anything else (scripts, preloads, CSS). */
async function initialDownload(): Promise<{ js: number; css: number; files: string[] }> {
  const html = await readFile(join(root, "dist/web/index.html"), "utf8");
  const urls = [...html.matchAll(/(?:src|href)="(\/static\/app\/assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] as string,
  );
  let js = 0;
  let css = 0;
  for (const url of urls) {
    const size = gzipSync(await readFile(join(root, "dist/web", url.replace("/static/app/", "")))).length;
    if (url.endsWith(".js")) js += size;
    else css += size;
  }
  return { js, css, files: urls };
}

/** A browser context signed in as the bench admin (cookies from the login answer). */
async function signedInContext(browser: Browser, base: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const res = await context.request.post(`${base}/api/auth/login`, { data: ADMIN });
  if (!res.ok()) throw new Error(`bench web: login → ${res.status()}`);
  // The app's own note that this browser signed in (lib/session.tsx), set as its login page does.
  await context.addInitScript(() => localStorage.setItem("imbi.signedIn", "1"));
  if (process.env.BENCH_WEB_WATERFALL)
    await context.addInitScript(() => {
      const w = window as unknown as { __longtasks: number[][] };
      w.__longtasks = [];
      const log: string[] = [];
      (window as unknown as { __fetchLog: string[] }).__fetchLog = log;
      const original = window.fetch;
      window.fetch = async (...args: Parameters<typeof fetch>) => {
        const res = await original(...args);
        const u = args[0] instanceof Request ? args[0].url : String(args[0]);
        const at = Math.round(performance.now());
        res
          .clone()
          .text()
          .then((t) =>
            log.push(
              `${at}→${Math.round(performance.now())} ${res.status} ${(t.length / 1024).toFixed(0)}KiB ${u.replace(location.origin, "")}`,
            ),
          );
        return res;
      };
      let last = "";
      new MutationObserver(() => {
        const state = `${location.pathname}${location.search} main=${document.querySelector("main")?.textContent?.length ?? -1} rows=${document.querySelectorAll("tbody tr").length} busy=${document.querySelectorAll("[role=status]").length}`;
        if (state !== last) log.push(`${Math.round(performance.now())} DOM ${state}`);
        last = state;
      }).observe(document, { childList: true, subtree: true, characterData: true });
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.__longtasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      }).observe({ type: "longtask", buffered: true });
    });
  return context;
}

interface Load {
  ms: number;
  requests: string[];
}

/**
 * Opens `path` and returns the in-page time (from navigation start) at which `ready` first
 * matched.
 */
async function timeLoad(context: BrowserContext, url: string, ready: string, reload = false): Promise<Load> {
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  const cdp = process.env.BENCH_WEB_PROFILE ? await context.newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.start");
  }
  if (reload) await page.reload({ waitUntil: "commit" });
  else await page.goto(url, { waitUntil: "commit" });
  // Polled in the page every 5 ms: its own clock, without Playwright's round trips (its
  // waitForSelector answered hundreds of milliseconds late under load here).
  // (A string: tsx would add its own helpers to a serialized function.)
  const ms = (await page.evaluate(`new Promise((resolve, reject) => {
    const until = performance.now() + 60000;
    const poll = () => {
      if (document.querySelector(${JSON.stringify(ready)})) resolve(performance.now());
      else if (performance.now() > until) reject(new Error("never appeared"));
      else setTimeout(poll, 5);
    };
    poll();
  })`)) as number;
  if (process.env.BENCH_WEB_WATERFALL) {
    const entries = await page.evaluate(() =>
      [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map(
        (e) => [
          e.name.replace(location.origin, ""),
          Math.round(e.startTime),
          Math.round((e as PerformanceResourceTiming).responseEnd),
        ],
      ),
    );
    console.log(
      `web: waterfall of ${url.replace(/^https?:\/\/[^/]+/, "")} (start, end ms), ready at ${Math.round(ms)} ms`,
    );
    for (const [name, start, end] of entries)
      console.log(`  ${String(start).padStart(5)} ${String(end).padStart(5)}  ${name}`);
    const long = await page.evaluate(() => (window as unknown as { __longtasks: number[][] }).__longtasks);
    console.log(
      `  long tasks (start, duration ms): ${long.map(([a, b]) => `${a}+${b}`).join(", ") || "none"}`,
    );
    const fetched = await page.evaluate(() => (window as unknown as { __fetchLog: string[] }).__fetchLog);
    console.log(`  fetch() resolved: ${fetched.join(" | ")}`);
  }
  if (cdp) {
    const { profile } = (await cdp.send("Profiler.stop")) as {
      profile: {
        nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
        samples: number[];
        timeDeltas: number[];
      };
    };
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const f = byId.get(id)?.callFrame;
      const key = `${f?.functionName || "(anonymous)"} ${f?.url.split("/").pop()}:${f?.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    console.log("  CPU self time (ms):");
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`    ${v.toFixed(0).padStart(5)}  ${k}`);
    await cdp.detach();
  }
  page.removeAllListeners("request");
  return { ms, requests };
}

/** The same requests from Node: the HTML, then its files at once, then the API calls at once. */
async function floor(base: string, cookie: string, requests: string[]): Promise<number> {
  const headers = { Cookie: cookie, Accept: "text/html,*/*" };
  const [first, ...rest] = requests.filter((u) => u.startsWith(base));
  const t0 = performance.now();
  await (await fetch(first as string, { headers })).arrayBuffer();
  const files = rest.filter((u) => u.includes("/static/"));
  const api = rest.filter((u) => u.includes("/api/"));
  await Promise.all(files.map(async (u) => (await fetch(u, { headers })).arrayBuffer()));
  await Promise.all(api.map(async (u) => (await fetch(u, { headers })).arrayBuffer()));
  return performance.now() - t0;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

export async function web(): Promise<void> {
  const size = await initialDownload();
  console.log(
    `web: initial download ${(size.js / 1024).toFixed(1)} KiB JS + ${(size.css / 1024).toFixed(1)} KiB CSS gzipped ` +
      `(${size.files.length} files; JS budget ${BUDGET_KIB} KiB → ${((100 * size.js) / 1024 / BUDGET_KIB).toFixed(0)} % used)`,
  );
  const dataDir = await mkdtemp(join(tmpdir(), "imbi-bench-web-"));
  try {
    const stores = await openStores(
      await loadEnv({ IMBI_DATA_DIR: dataDir, ENVIRONMENT: "development", IMBI_LOG_LEVEL: "warn" }),
    );
    try {
      await migrateStores(stores);
      await seedIdentity(stores.graph, { adminEmail: ADMIN.email, adminPassword: ADMIN.password });
      const fixture = await generateFixture(stores.graph, ORG);
      console.log(`web: fixture of 10,000 projects in ${fixture.seconds.toFixed(1)} s`);
    } finally {
      await stores.close();
    }
    const imbi = await startImbi(dataDir);
    const base = imbi.base;
    const browser = await launchChromium();
    try {
      const rows: (string | number)[][] = [];
      const measure = async (name: string, path: string, ready: string, warm: boolean) => {
        const times: number[] = [];
        const floors: number[] = [];
        for (let i = 0; i < RUNS + 1; i++) {
          const context = await signedInContext(browser, base);
          try {
            let load = await timeLoad(context, `${base}${path}`, ready);
            if (warm) load = await timeLoad(context, `${base}${path}`, ready, true);
            const cookie = (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join("; ");
            const f = await floor(base, cookie, load.requests);
            // The first run warms the server (and Chromium's code cache for warm runs); not counted.
            if (i > 0) {
              times.push(load.ms);
              floors.push(f);
            }
          } finally {
            await context.close();
          }
        }
        times.sort((a, b) => a - b);
        floors.sort((a, b) => a - b);
        const p50 = quantile(times, 0.5);
        rows.push([
          name,
          ms(p50),
          ms(quantile(times, 0.95)),
          ms(quantile(floors, 0.5)),
          (p50 / quantile(floors, 0.5)).toFixed(2),
        ]);
      };
      await measure("catalog, cold cache", `/o/${ORG}/projects`, "tbody tr", false);
      await measure("catalog, warm cache (reload)", `/o/${ORG}/projects`, "tbody tr", true);
      await measure("org graph (10k), cold cache", `/o/${ORG}/graph`, ".react-flow__node", false);
      console.log(`web: first load until the first row / node is on screen, ${RUNS} runs each`);
      console.log(table(["page", "p50", "p95", "floor p50", "ratio"], rows));
      const catalogP50 = Number.parseFloat(String(rows[0]?.[1]));
      console.log(
        `web: catalog first load p50 ${ms(catalogP50)} — target ≤ ${TARGET_MS} ms: ${catalogP50 <= TARGET_MS ? "met" : "NOT met"}; ` +
          `initial JS ${(size.js / 1024).toFixed(1)} KiB — budget ≤ ${BUDGET_KIB} KiB: ${size.js / 1024 <= BUDGET_KIB ? "met" : "NOT met"}`,
      );
    } finally {
      await browser.close();
      await imbi.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
