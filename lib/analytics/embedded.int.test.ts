import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalyticsContract } from "../../test/contracts/analytics.contract.ts";
import { runScoresContract } from "../../test/contracts/scores.contract.ts";
import { type EmptyDatabase, startEmptyDatabase } from "../../test/harness/pglite.ts";
import { postgresTarget } from "../../test/harness/postgres.ts";
import { createEmbeddedAnalytics } from "./embedded.ts";
import { createAnalytics } from "./index.ts";
import { embeddedMigrations } from "./migrations.ts";

// One database for the file (booting PGlite is the slow part) — a plain PGlite, or a fresh database
// of the suite's PostgreSQL cluster on the real target; each test gets an empty `analytics` schema
// because cleanup drops it.
let pg: PGlite | undefined;
let server: PGLiteSocketServer | undefined;
let real: EmptyDatabase | undefined;
let sql: Sql;
let url: string;

beforeAll(async () => {
  if (postgresTarget() === "real") {
    real = await startEmptyDatabase();
    url = real.url;
  } else {
    pg = await PGlite.create();
    server = new PGLiteSocketServer({ db: pg, port: 0, host: "127.0.0.1" });
    await server.start();
    url = `postgres://postgres@${server.getServerConn()}/postgres`;
  }
  sql = postgres(url, { max: 1, fetch_types: false, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await server?.stop();
  await pg?.close();
  await real?.stop();
});

const makeStore = async () => ({
  store: createEmbeddedAnalytics(sql),
  async cleanup() {
    await sql`drop schema if exists analytics cascade`;
  },
  async storedColumns(id: string) {
    const [row] = await sql<{ types: string; breakdown: string }[]>`
      select array_to_json(project_types)::text as types, breakdown
      from analytics.score_history where id = ${id}`;
    return row ? { project_types: JSON.parse(row.types), breakdown: JSON.parse(row.breakdown) } : null;
  },
});
runAnalyticsContract("embedded (PGlite)", makeStore);
runScoresContract("embedded (PGlite)", makeStore);

describe("embedded analytics specifics", () => {
  it("records each migration once in the ledger", async () => {
    const store = createEmbeddedAnalytics(sql);
    await Promise.all([store.migrate(), store.migrate()]);
    await store.migrate();
    const rows = await sql`select version from analytics.schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(embeddedMigrations.map((m) => m.version));
    await sql`drop schema analytics cascade`;
  });

  it("serves the score_latest view", async () => {
    const store = createEmbeddedAnalytics(sql);
    await store.migrate();
    try {
      const row = (id: string, at: string, score: number) => ({
        id,
        occurred_at: at,
        project_id: "p1",
        org_id: "acme",
        project_types: ["api"],
        score,
        change_reason: "project_change",
      });
      const res = await store.insert("score_history", [
        row("s1", "2024-05-01T10:00:00Z", 40),
        row("s2", "2024-05-01T11:00:00Z", 60),
      ]);
      expect(res.err).toBeUndefined();
      const view = await sql`select project_id, score, team from analytics.score_latest`;
      expect([...view]).toEqual([{ project_id: "p1", score: 60, team: "" }]);
    } finally {
      await sql`drop schema analytics cascade`;
    }
  });

  it("createAnalytics picks the embedded store without a ClickHouse URL", () => {
    expect(createAnalytics({ sql }).kind).toBe("embedded");
    expect(createAnalytics({ sql, clickhouseUrl: "" }).kind).toBe("embedded");
  });

  it("returns err, not a throw, when the database connection is gone", async () => {
    const dead = postgres(url, { max: 1, fetch_types: false, connect_timeout: 2 });
    await dead.end();
    const store = createEmbeddedAnalytics(dead);
    expect((await store.ping()).err).toBeInstanceOf(Error);
    const ins = await store.insert("audit_log", [
      { id: "x", occurred_at: "2024-01-01T00:00:00Z", event: "login" },
    ]);
    expect(ins.err).toBeInstanceOf(Error);
  });
});
