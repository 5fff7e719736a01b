import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { startEmbeddedPostgres } from "../../apps/node/embedded/pglite.ts";
import type { AnalyticsStore } from "../../lib/analytics/index.ts";
import { createSql, type Sql } from "../../lib/db.ts";
import { Graph } from "../../lib/graph/graph.ts";
import { migrate } from "../../lib/migrate.ts";
import { createRealDatabase, type PostgresTarget, postgresTarget } from "./postgres.ts";

/**
 * A fresh database for one test file, migrated: an in-memory PGlite + AGE, or — when the file
 * runs in the `postgres` project (`IMBI_TEST_POSTGRES=real`) — a new database on the suite's
 * PostgreSQL 15 + AGE cluster.
 */
export interface TestDatabase {
  /**
   * Loopback TCP URL with this database's random password, for other processes and workerd
   * (Miniflare's Hyperdrive connects over TCP).
   */
  url: string;
  sql: Sql;
  graph: Graph;
  /** Which database this is, for the few assertions that differ (e.g. pool sizes). */
  target: PostgresTarget;
  stop(): Promise<void>;
}

/**
 * Pool size on the real server: the Node host's default (`POSTGRES_MAX_POOL_SIZE`), so requests
 * truly run in parallel as in production. PGlite has one backend: one connection.
 */
const REAL_POOL = 10;

/** Boots, migrates and returns a fresh database on this file's target; call `stop()` in afterAll. */
export async function startTestDatabase(
  opts: { analytics?: (sql: Sql) => AnalyticsStore; max?: number } = {},
): Promise<TestDatabase> {
  const db = await startEmptyDatabase();
  const target = postgresTarget();
  // In-process queries take the closest way in (PGlite: its Unix socket); `url` is for other processes.
  const sql = createSql(db.localUrl, { max: target === "real" ? (opts.max ?? REAL_POOL) : 1 });
  try {
    await migrate(sql, { graphName: "imbi", analytics: opts.analytics?.(sql) });
  } catch (e) {
    await sql.end({ timeout: 5 });
    await db.stop();
    throw e;
  }
  return {
    url: db.url,
    sql,
    graph: new Graph(sql, "imbi"),
    target,
    async stop() {
      await sql.end({ timeout: 5 });
      await db.stop();
    },
  };
}

/** An empty database on this file's target, for tests that migrate (or not) themselves. */
export interface EmptyDatabase {
  /** postgres:// URL over loopback TCP (PGlite: behind its password gate); on PGlite use one connection. */
  url: string;
  /** The URL for this process's own client (PGlite: its Unix socket; real: the same as `url`). */
  localUrl: string;
  target: PostgresTarget;
  stop(): Promise<void>;
}

/** A new, unmigrated database: an in-memory PGlite + AGE, or a new database on the real cluster. */
export async function startEmptyDatabase(): Promise<EmptyDatabase> {
  if (postgresTarget() === "real") {
    const adminUrl = inject("postgresAdminUrl");
    if (!adminUrl)
      throw new Error(
        "IMBI_TEST_POSTGRES=real but the global setup started no PostgreSQL cluster: run the file " +
          "through its vitest project (`npx vitest run --project postgres <file>`)",
      );
    const db = await createRealDatabase(adminUrl);
    return { url: db.url, localUrl: db.url, target: "real", stop: () => db.drop() };
  }
  const pg = await startEmbeddedPostgres({
    tcp: { port: 0, password: randomBytes(18).toString("base64url") },
  });
  return { url: pg.tcpUrl as string, localUrl: pg.url, target: "pglite", stop: () => pg.stop() };
}
