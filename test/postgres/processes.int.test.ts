// Concurrency between processes and pool exhaustion, on the real PostgreSQL 15 + AGE cluster
// (PGlite has one backend: two migrators or a busy pool cannot happen there).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness/app.ts";
import { type EmptyDatabase, startEmptyDatabase } from "../harness/pglite.ts";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

describe("two `imbi migrate` processes at once", () => {
  it("both succeed, and every migration is applied exactly once", async () => {
    const db: EmptyDatabase = await startEmptyDatabase();
    cleanup.push(() => db.stop());
    const dataDir = await mkdtemp(join(tmpdir(), "imbi-migrate-race-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    // No CLICKHOUSE_URL: the analytics tables are created in the same database, by both processes.
    const migrateOnce = () =>
      run(process.execPath, ["--import", "tsx", "apps/node/cli.ts", "migrate"], {
        cwd: ROOT,
        env: {
          ...process.env,
          ENVIRONMENT: "development",
          IMBI_DATA_DIR: dataDir,
          IMBI_LOG_LEVEL: "info",
          POSTGRES_URL: db.url,
          CLICKHOUSE_URL: "",
          VALKEY_URL: "",
          UPSTASH_REDIS_REST_URL: "",
        },
      });
    // A barrier: both processes wait on the extension catalog (their first migration step) until
    // both are connected and waiting, then start migrating at the same moment.
    const holder = postgres(db.url, { max: 1, onnotice: () => undefined });
    cleanup.push(() => holder.end({ timeout: 5 }));
    let running: ReturnType<typeof migrateOnce>[] = [];
    await holder.begin(async (tx) => {
      await tx`LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE`;
      running = [migrateOnce(), migrateOnce()];
      await untilWaiting(tx, 2, `${WAITERS} AND NOT granted`);
    });
    // stdout is one JSON log object per line; the report is the `migrated` one.
    const reports = (await Promise.all(running)).map(
      (r) =>
        r.stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as { msg: string; graphCreated: boolean; sqlApplied: string[] })
          .find((line) => line.msg === "migrated") ?? { graphCreated: undefined, sqlApplied: [] },
    );
    // The advisory lock lets one create the graph and apply the files; the other finds them done.
    expect(reports.map((r) => r.graphCreated).sort()).toEqual([false, true]);
    const files = (await readdir(join(ROOT, "schema/sql"))).filter((f) => f.endsWith(".sql")).sort();
    expect(reports.flatMap((r) => r.sqlApplied).sort()).toEqual(files);
    const sql = postgres(db.url, { max: 1, onnotice: () => undefined });
    cleanup.push(() => sql.end({ timeout: 5 }));
    const ledger = await sql`SELECT name FROM imbi_migrations ORDER BY name`;
    expect(ledger.map((r) => r.name)).toEqual(files);
    const graphs = await sql`SELECT count(*)::int AS n FROM ag_catalog.ag_graph WHERE name = 'imbi'`;
    expect(graphs[0]?.n).toBe(1);
  });
});

describe("a pool exhausted by slow queries", () => {
  it("queues requests until a connection is free; then they all finish, none fails", async () => {
    const app: TestApp = await startTestApp({ poolSize: 2 });
    cleanup.push(() => app.stop());
    // Both connections of the app's pool run a query that waits for a lock this test holds.
    const holder = postgres(app.db.url, { max: 1, onnotice: () => undefined });
    cleanup.push(() => holder.end({ timeout: 5 }));
    await holder`SELECT pg_advisory_lock(4242)`;
    // postgres.js queries are lazy: execute() sends them now.
    const slow = [0, 1].map(() => app.db.sql`SELECT pg_advisory_xact_lock_shared(4242)`.execute());
    await untilWaiting(holder, 2, `${WAITERS} AND locktype = 'advisory' AND NOT granted`);
    let finished = 0;
    const requests = Array.from({ length: 10 }, () =>
      app.json("GET", "/api/organizations", undefined, app.adminToken).finally(() => finished++),
    );
    // While the pool is held none can finish (each needs the database)…
    await new Promise((r) => setTimeout(r, 300));
    expect(finished).toBe(0);
    // …and once the slow queries end, every queued request runs and succeeds.
    await holder`SELECT pg_advisory_unlock(4242)`;
    await Promise.all(slow);
    const res = await Promise.all(requests);
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(200));
  });
});

/** Lock requests in this database (pg_locks spans the cluster, where other test files run too). */
const WAITERS = `SELECT count(*)::int AS waiting FROM pg_locks
  WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** Waits (30 s at most) until `query` (a count of lock waiters) reaches `n`. */
async function untilWaiting(probe: postgres.Sql | postgres.TransactionSql, n: number, query: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [{ waiting }] = await probe.unsafe<[{ waiting: number }]>(query);
    if (waiting >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${waiting} of ${n} sessions wait for a lock`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
