// `npm run bench`: HTTP overhead of the Node host against a bare Hono app on the same adapter,
// authenticated reads, login throughput, the catalog reads on the 10,000-project fixture against
// their raw-query floor, project-score recomputation (bulk throughput per queue adapter and
// write → score-visible latency), Worker bundle sizes, and the web app's first loads in Chromium
// (bench/web.ts) — all measured in one run. The authenticated read runs twice, with a login JWT
// and with an API key, against the same floor.
// The inbound webhook receiver's throughput and delivery → visible latency (bench/webhooks.ts).
// BENCH_ONLY=http|catalog|scoring|bundles|web|webhooks (comma-separated) runs only those parts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as bundleSizes } from "./bundle_size.ts";
import { catalog } from "./catalog.ts";
import { ADMIN, freePort, type LoadResult, load, startImbi, startProcess, table } from "./lib.ts";
import { scoring } from "./scoring.ts";
import { web } from "./web.ts";
import { webhooks } from "./webhooks.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function http(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "imbi-bench-"));
  const barePort = await freePort();
  const bare = await startProcess(
    ["bench/bare_hono.ts"],
    { PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/hello`,
  );
  const imbi = await startImbi(dataDir, {
    // The per-key limit would otherwise be the figure measured.
    IMBI_AUTH_RATE_LIMIT_API_KEY: "100000000/minute",
  });
  try {
    const base = imbi.base;
    const access_token = await imbi.login();
    const auth = { Authorization: `Bearer ${access_token}` };
    const created = await fetch(`${base}/api/api-keys`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "bench" }),
    });
    if (created.status !== 201) throw new Error(`bench: creating an API key → ${created.status}`);
    const { key } = (await created.json()) as { key: string };
    const results: LoadResult[] = [];
    results.push(
      await load("bare Hono GET /hello", `http://127.0.0.1:${barePort}/hello`, { seconds: SECONDS }),
    );
    results.push(await load("imbi GET /status", `${base}/status`, { seconds: SECONDS }));
    results.push(
      await load("imbi GET /api/users/me", `${base}/api/users/me`, { seconds: SECONDS, headers: auth }),
    );
    results.push(
      await load("imbi GET /api/users/me (API key)", `${base}/api/users/me`, {
        seconds: SECONDS,
        headers: { Authorization: `Bearer ${key}` },
      }),
    );
    results.push(
      await load("imbi POST /api/auth/login", `${base}/api/auth/login`, {
        seconds: SECONDS,
        connections: 4,
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(ADMIN),
      }),
    );
    const floor = results[0]?.rps ?? 1;
    const jwt = results.find((r) => r.name === "imbi GET /api/users/me");
    const apiKey = results.find((r) => r.name.endsWith("(API key)"));
    console.log(
      `\nHTTP on the Node host (embedded stores, loopback, ${SECONDS} s each, 20 connections; login 4)\n`,
    );
    console.log(
      table(
        ["case", "req/s", "p50 ms", "p99 ms", "bare/this", "errors", "non-2xx"],
        results.map((r) => [
          r.name,
          Math.round(r.rps),
          r.p50,
          r.p99,
          floor / Math.max(r.rps, 0.001),
          r.errors,
          r.non2xx,
        ]),
      ),
    );
    if (jwt && apiKey)
      console.log(
        `\nAPI key vs JWT on GET /api/users/me: ${(apiKey.rps / Math.max(jwt.rps, 0.001)).toFixed(2)}× the req/s, p50 ${apiKey.p50.toFixed(1)} vs ${jwt.p50.toFixed(1)} ms, p99 ${apiKey.p99.toFixed(1)} vs ${jwt.p99.toFixed(1)} ms`,
      );
  } finally {
    await imbi.stop();
    await bare.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const PARTS = ["http", "catalog", "scoring", "bundles", "web", "webhooks"] as const;
const only = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
if (unknown.length > 0)
  throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(", ")}; use ${PARTS.join(", ")}`);
const runs = (part: (typeof PARTS)[number]) => only.length === 0 || only.includes(part);

if (runs("http")) await http();
if (runs("catalog")) await catalog();
if (runs("scoring")) await scoring();
// bundle_size prints its own tables (sizes and workerd cold starts).
if (runs("bundles")) await bundleSizes();
if (runs("web")) await web();
if (runs("webhooks")) await webhooks();
