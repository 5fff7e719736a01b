import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalyticsContract } from "./analytics.contract.ts";
import { createEmbeddedAnalytics } from "./embedded.ts";
import { createAnalytics } from "./index.ts";
import { embeddedMigrations } from "./migrations.ts";

// One PGlite for the file (booting it is the slow part); each test gets an empty `analytics`
// schema because cleanup drops it.
let pg: PGlite;
let server: PGLiteSocketServer;
let sql: Sql;
let url: string;

beforeAll(async () => {
  pg = await PGlite.create();
  server = new PGLiteSocketServer({ db: pg, port: 0, host: "127.0.0.1" });
  await server.start();
  url = `postgres://postgres@${server.getServerConn()}/postgres`;
  sql = postgres(url, { max: 1, fetch_types: false, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await server?.stop();
  await pg?.close();
});

runAnalyticsContract("embedded (PGlite)", async () => ({
  store: createEmbeddedAnalytics(sql),
  async cleanup() {
    await sql`drop schema if exists analytics cascade`;
  },
}));

describe("embedded analytics specifics", () => {
  it("records each migration once in the ledger", async () => {
    const store = createEmbeddedAnalytics(sql);
    await Promise.all([store.migrate(), store.migrate()]);
    await store.migrate();
    const rows = await sql`select version from analytics.schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(embeddedMigrations.map((m) => m.version));
    await sql`drop schema analytics cascade`;
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
