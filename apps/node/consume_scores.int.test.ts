// `imbi consume-scores` as a real process: the score consumer apart from the API, on Redis Streams
// (the suite's redis-server through the process's own bridge) and a Postgres it shares with this
// test (the test database's socket). Killed with SIGKILL mid-run, a second process finishes the work
// and every project ends with exactly one history row.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nanoid } from "nanoid";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AnalyticsStore, createEmbeddedAnalytics } from "../../lib/analytics/index.ts";
import { migrate } from "../../lib/migrate.ts";
import { createPolicy } from "../../lib/scoring/policies.ts";
import { createRedisScoreQueue } from "../../lib/scoring/queue_redis.ts";
import { seedProject } from "../../test/harness/oplog_seed.ts";
import { startTestDatabase, type TestDatabase } from "../../test/harness/pglite.ts";
import { postgresTarget } from "../../test/harness/postgres.ts";
import { type RedisBridge, startRedisBridge } from "./redis_bridge.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
let db: TestDatabase;
let analytics: AnalyticsStore;
let dataDir = "";
const children: ChildProcess[] = [];
// Both database targets run this file at the same time, and these processes use the default stream
// name: each target gets its own Redis database, so one copy's consumers never take the other's messages.
const redisUrl = `${inject("redisUrl")}/${postgresTarget() === "real" ? 1 : 0}`;
/** The producer's way in (the API side): a bridge to that database, as the consumers have their own. */
let bridge: RedisBridge;

function consumer(): ChildProcess {
  const child = spawn(process.execPath, ["bin/imbi.mjs", "consume-scores"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENVIRONMENT: "development",
      IMBI_DATA_DIR: dataDir,
      IMBI_LOG_LEVEL: "warn",
      POSTGRES_URL: db.url,
      POSTGRES_MAX_POOL_SIZE: "1",
      VALKEY_URL: redisUrl,
      IMBI_SCORE_DEBOUNCE_SECONDS: "0",
      // The floor (2 × debounce + 10 s) applies: a killed consumer's messages wait ~10 s.
      IMBI_SCORE_CLAIM_IDLE_SECONDS: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "imbi-consume-"));
  bridge = await startRedisBridge({ redisUrl, token: nanoid(32) });
  db = await startTestDatabase();
  analytics = createEmbeddedAnalytics(db.sql);
  await migrate(db.sql, { graphName: "imbi", analytics });
  await db.graph.query("CREATE (o:Organization {id: 'org-1', slug: 'acme', name: 'Acme'}) RETURN o.id");
  await createPolicy(db.graph, {
    slug: "named",
    name: "Named",
    category: "presence",
    attribute_name: "name",
  });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await db?.stop();
  await bridge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("imbi consume-scores", () => {
  it("refuses to start without Redis (the in-process queue lives inside imbi serve)", async () => {
    const child = spawn(process.execPath, ["bin/imbi.mjs", "consume-scores"], {
      cwd: ROOT,
      env: {
        ...process.env,
        ENVIRONMENT: "development",
        IMBI_DATA_DIR: dataDir,
        POSTGRES_URL: db.url,
        VALKEY_URL: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += String(d);
    });
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain("consume-scores needs a shared queue");
  });

  it("scores what the API enqueued; SIGKILLed mid-run, another process finishes it exactly once", {
    timeout: 120_000,
  }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < 300; i++)
      ids.push(await seedProject(db.graph, "acme", `svc-${nanoid(6).toLowerCase()}`));
    // The API side: enqueue on the shared stream (default prefix, as every Imbi process uses).
    const producer = createRedisScoreQueue({ url: bridge.url, token: bridge.token, debounceMs: 0 });
    await producer.enqueue(
      ids.map((project_id) => ({ project_id, reason: "bulk_rescore", requested_by: "test" })),
    );
    const scored = async () =>
      (
        await Promise.all(ids.map((id) => analytics.scoreHistory({ project_id: id, granularity: "raw" })))
      ).filter((rows) => rows.length > 0).length;

    const first = consumer();
    await waitFor(async () => (await scored()) > 0, 60_000);
    first.kill("SIGKILL");
    await exited(first);
    // Killed with work left: the rest (including any batch it held) is the second process's.
    expect(await scored()).toBeLessThan(ids.length);
    const second = consumer();
    await waitFor(async () => (await scored()) === ids.length && (await producer.length()) === 0, 90_000);
    second.kill("SIGTERM");
    expect(await exited(second)).toBe(0);

    for (const id of ids) {
      const rows = await analytics.scoreHistory({ project_id: id, granularity: "raw" });
      expect(rows.map((r) => r.score)).toEqual([100]);
    }
    expect(await producer.deadLetters()).toEqual([]);
  });
});
