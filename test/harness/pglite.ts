import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres } from "../../apps/node/embedded/pglite.ts";
import type { AnalyticsStore } from "../../lib/analytics/index.ts";
import { createSql, type Sql } from "../../lib/db.ts";
import { Graph } from "../../lib/graph/graph.ts";
import { migrate } from "../../lib/migrate.ts";

/** A fresh in-memory PGlite + AGE database for one test file, migrated. */
export interface TestDatabase {
  /**
   * Loopback TCP URL with this database's random password, for other processes and workerd
   * (Miniflare's Hyperdrive connects over TCP).
   */
  url: string;
  sql: Sql;
  graph: Graph;
  stop(): Promise<void>;
}

/** Boots, migrates and returns a fresh embedded database; call `stop()` in afterAll. */
export async function startTestDatabase(
  opts: { analytics?: (sql: Sql) => AnalyticsStore } = {},
): Promise<TestDatabase> {
  const pg = await startEmbeddedPostgres({
    tcp: { port: 0, password: randomBytes(18).toString("base64url") },
  });
  // In-process queries take the Unix socket; the password gate is for other processes.
  const sql = createSql(pg.url, { max: 1 });
  await migrate(sql, { graphName: "imbi", analytics: opts.analytics?.(sql) });
  return {
    url: pg.tcpUrl as string,
    sql,
    graph: new Graph(sql, "imbi"),
    async stop() {
      await sql.end({ timeout: 5 });
      await pg.stop();
    },
  };
}
