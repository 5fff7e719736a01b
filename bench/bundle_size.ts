// Worker bundle sizes and cold start (DESIGN.md §12: each function ≤ 1 MiB gzipped, ≤ 25 ms cold
// start in workerd). Every route group is bundled as if it were deployed as its own Worker, next
// to the full worker that wrangler builds. Run: `npx tsx bench/bundle_size.ts`.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { parse as parseToml } from "smol-toml";
import { buildWorker, repoRoot } from "../scripts/build_worker.ts";

/** One measured bundle. */
export interface BundleSize {
  name: string;
  rawBytes: number;
  gzipBytes: number;
}

/** One measured cold start: `new Miniflare()` until the first `GET /status` response. */
export interface ColdStart {
  name: string;
  /** `new Miniflare()` → first response: the figure asked for. */
  ms: number;
  /** Of which: `new Miniflare()` → `ready` (workerd spawned, script compiled and evaluated). */
  readyMs: number;
  /** Of which: the first request itself (router built lazily, services, response). */
  firstRequestMs: number;
  /** A second request on the warm isolate, for comparison. */
  warmRequestMs: number;
}

/** What {@link main} measured, for bench/run.ts to fold into its report. */
export interface BundleReport {
  bundles: BundleSize[];
  coldStarts: ColdStart[];
}

// The per-group entry mirrors apps/worker/index.ts (env check, then one app), but mounts only
// the exports of one group module, so the bundle holds what that function alone would ship.
const entrySource = (groupModule: string, libDir: string) => `
import { createApp } from ${JSON.stringify(join(libDir, "app.ts"))};
import { parseEnv } from ${JSON.stringify(join(libDir, "env.ts"))};
import * as group from ${JSON.stringify(groupModule)};
const app = createApp();
for (const value of Object.values(group)) {
  if (value && typeof value === "object" && "routes" in value && "fetch" in value) app.route("/api", value);
}
export default { fetch: (req, env, ctx) => app.fetch(req, { ...parseEnv(env), HYPERDRIVE: env.HYPERDRIVE }, ctx) };
`;

async function groupDirs(): Promise<string[]> {
  const root = join(repoRoot, "functions");
  const isFile = (p: string) =>
    stat(p).then(
      (s) => s.isFile(),
      () => false,
    );
  const dirs: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    if (await isFile(join(root, name, "index.ts"))) dirs.push(name);
  }
  return dirs;
}

/** Bundles one group the way wrangler would for workerd: ESM, workerd conditions, minified. */
async function bundleGroup(name: string, workDir: string): Promise<BundleSize> {
  const entry = join(workDir, `${name}.entry.ts`);
  await writeFile(entry, entrySource(join(repoRoot, "functions", name, "index.ts"), join(repoRoot, "lib")));
  const result = await build({
    entryPoints: [entry],
    outfile: join(workDir, `${name}.js`),
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    // Provided by workerd itself (nodejs_compat, cloudflare:sockets), as in wrangler's build.
    external: ["node:*", "cloudflare:*"],
    minify: true,
    logLevel: "silent",
    absWorkingDir: repoRoot,
  });
  const code = result.outputFiles.find((f) => f.path.endsWith(".js"));
  if (!code) throw new Error(`esbuild produced no JavaScript for group ${name}`);
  return {
    name: `functions/${name}`,
    rawBytes: code.contents.byteLength,
    gzipBytes: gzipSync(code.contents).byteLength,
  };
}

interface WranglerToml {
  compatibility_date: string;
  compatibility_flags?: string[];
}

/**
 * Time from `new Miniflare()` to the first response. This includes spawning the workerd process
 * and its sockets (most of the figure), not only the isolate's script start-up that Cloudflare's
 * own cold start consists of; the `baseline` row (an empty worker) shows that fixed part.
 */
async function coldStart(name: string, script: { path: string } | { code: string }): Promise<ColdStart> {
  const toml = parseToml(await readFile(join(repoRoot, "wrangler.toml"), "utf8")) as unknown as WranglerToml;
  const source =
    "path" in script
      ? // Listing the module (rather than `scriptPath`) spares Miniflare walking the bundle's
        // imports with its JS parser in Node, which would otherwise be most of the figure.
        {
          modules: [{ type: "ESModule" as const, path: script.path }],
          modulesRoot: resolve(script.path, ".."),
        }
      : { modules: true, script: script.code };
  const start = performance.now();
  const mf = new Miniflare({
    ...source,
    compatibilityDate: toml.compatibility_date,
    compatibilityFlags: toml.compatibility_flags ?? [],
    // postgres.js connects lazily and /status runs no query, so nothing listens here.
    hyperdrives: { HYPERDRIVE: "postgres://imbi:imbi@127.0.0.1:9/imbi?sslmode=disable" },
    bindings: {
      ENVIRONMENT: "test",
      IMBI_ACCESS_LOG: "false",
      IMBI_AUTH_JWT_SECRET: "bench-secret-0123456789abcdef0123456789",
      IMBI_AUTH_ENCRYPTION_KEY: "bench-key-0123456789abcdef0123456789ab",
    },
  });
  try {
    await mf.ready;
    const ready = performance.now();
    const res = await mf.dispatchFetch("http://imbi.bench/status");
    await res.arrayBuffer();
    const first = performance.now();
    if (res.status !== 200) throw new Error(`${name}: GET /status answered ${res.status}`);
    const warm = await mf.dispatchFetch("http://imbi.bench/status");
    await warm.arrayBuffer();
    return {
      name,
      ms: first - start,
      readyMs: ready - start,
      firstRequestMs: first - ready,
      warmRequestMs: performance.now() - first,
    };
  } finally {
    await mf.dispose();
  }
}

const COLD_START_RUNS = 5;

/** The run with the median total time. */
function median(runs: ColdStart[]): ColdStart {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const mid = sorted[Math.floor(sorted.length / 2)];
  if (!mid) throw new Error("no cold-start runs");
  return mid;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function printTable(report: BundleReport): void {
  const rows = report.bundles.map((b) => [b.name, kib(b.rawBytes), kib(b.gzipBytes)]);
  const header = ["bundle", "raw", "gzip"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log(
    `\ncold start: new Miniflare → first GET /status, median of ${COLD_START_RUNS} (includes the workerd process spawn)`,
  );
  const w = Math.max(...report.coldStarts.map((c) => c.name.length));
  for (const c of report.coldStarts)
    console.log(
      `  ${c.name.padEnd(w)}  ${c.ms.toFixed(0).padStart(5)} ms  (ready ${c.readyMs.toFixed(0)} ms` +
        ` + first request ${c.firstRequestMs.toFixed(1)} ms; warm request ${c.warmRequestMs.toFixed(1)} ms)`,
    );
}

/** Builds and measures every bundle, prints the table, and returns the figures. */
export async function main(): Promise<BundleReport> {
  const workDir = await mkdtemp(join(tmpdir(), "imbi-bundle-size-"));
  try {
    const bundles: BundleSize[] = [];
    for (const group of await groupDirs()) bundles.push(await bundleGroup(group, workDir));
    const worker = await buildWorker({ outdir: join(workDir, "worker") });
    const code = await readFile(worker.main);
    bundles.push({
      name: "worker (wrangler)",
      rawBytes: code.byteLength,
      gzipBytes: gzipSync(code).byteLength,
    });

    const baselineScript = 'export default { fetch: () => new Response("ok") };';
    const baseline = { code: baselineScript };
    const full = { path: worker.main };
    // The first Miniflare of a process also pays one-off Node-side costs (loading Miniflare's
    // modules, paging in the workerd binary), so one discarded run goes first, then the two
    // scripts alternate and the median of each is reported.
    await coldStart("warm-up", baseline);
    const runs: Record<"base" | "full", ColdStart[]> = { base: [], full: [] };
    for (let i = 0; i < COLD_START_RUNS; i++) {
      runs.base.push(await coldStart("baseline (empty worker)", baseline));
      runs.full.push(await coldStart("worker (wrangler)", full));
    }
    const coldStarts = [median(runs.base), median(runs.full)];
    const report = { bundles, coldStarts };
    printTable(report);
    return report;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
