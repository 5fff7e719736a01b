// Node-only: reads schema/sql from disk. Used by `imbi migrate`, first boot and tests — never bundled for Workers.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type postgres from "postgres";
import { EDGE_TYPES, GRAPH_INDEXES, UNIQUE_EDGE_INDEXES, VERTEX_LABELS } from "../schema/graph/index.ts";
import type { AnalyticsStore } from "./analytics/index.ts";
import type { Sql } from "./db.ts";
import type { Logger } from "./log.ts";

const SQL_DIR = fileURLToPath(new URL("../schema/sql/", import.meta.url));
// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK = 7_351_902_118;

/** What {@link migrate} did, for the CLI to print. */
export interface MigrationReport {
  graphCreated: boolean;
  labelsCreated: string[];
  sqlApplied: string[];
}

/**
 * Brings the database to the current schema: AGE extension and graph, labels, indexes, versioned
 * SQL files (ledger `imbi_migrations`), then the analytics DDL. Idempotent, and serialized across
 * processes with an advisory lock.
 */
export async function migrate(
  sql: Sql,
  opts: { graphName: string; analytics?: AnalyticsStore; log?: Logger },
): Promise<MigrationReport> {
  const report: MigrationReport = { graphCreated: false, labelsCreated: [], sqlApplied: [] };
  // One transaction: a failed migration leaves nothing half-applied, and the transaction-scoped
  // advisory lock serializes concurrent migrators (two replicas booting at once).
  await sql.begin(async (t) => {
    await t`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await migrateGraph(t, opts.graphName, report, opts.log);
    await migrateSql(t, report);
  });
  if (opts.analytics) await opts.analytics.migrate();
  // Planner statistics: PGlite has no autovacuum, and without statistics the project list and
  // facets pick full scans + sorts over the (org_id, key) indexes (230 ms instead of 5 ms at 10k).
  await sql`ANALYZE`;
  return report;
}

type Tx = postgres.TransactionSql;

/** Runs a statement that may fail harmlessly, without aborting the surrounding transaction. */
async function optional(sql: Tx, text: string, onError: (e: Error) => void = () => undefined): Promise<void> {
  await sql.savepoint((s) => s.unsafe(text)).catch(onError);
}

async function migrateGraph(sql: Tx, graph: string, report: MigrationReport, log?: Logger): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS age`;
  for (const ext of ["pg_trgm", "vector"]) {
    // Optional today (search, embeddings); absent on some Postgres builds.
    await optional(sql, `CREATE EXTENSION IF NOT EXISTS ${ext}`, (e) =>
      log?.warn("optional extension unavailable", { extension: ext, error: e.message }),
    );
  }
  await sql`LOAD 'age'`;
  // Real Postgres: every future session gets AGE loaded and the right search_path, so a pooled or
  // Hyperdrive connection never sees "unhandled cypher(cstring) function call". PGlite has one
  // backend that already did both, and may refuse ALTER DATABASE — harmless there.
  const [{ db }] = (await sql`SELECT current_database() AS db`) as unknown as [{ db: string }];
  const dbName = db.replaceAll('"', '""');
  await optional(sql, `ALTER DATABASE "${dbName}" SET session_preload_libraries = 'age'`);
  await optional(sql, `ALTER DATABASE "${dbName}" SET search_path = ag_catalog, "$user", public`);

  const exists = await sql`SELECT 1 FROM ag_catalog.ag_graph WHERE name = ${graph}`;
  if (exists.length === 0) {
    await sql`SELECT ag_catalog.create_graph(${graph})`;
    report.graphCreated = true;
  }
  const have = new Set(
    (
      await sql`SELECT l.name FROM ag_catalog.ag_label l JOIN ag_catalog.ag_graph g ON g.graphid = l.graph WHERE g.name = ${graph}`
    ).map((r) => r.name as string),
  );
  for (const label of VERTEX_LABELS) {
    if (have.has(label)) continue;
    await sql`SELECT ag_catalog.create_vlabel(${graph}, ${label})`;
    report.labelsCreated.push(label);
  }
  for (const edge of EDGE_TYPES) {
    if (have.has(edge)) continue;
    await sql`SELECT ag_catalog.create_elabel(${graph}, ${edge})`;
    report.labelsCreated.push(edge);
  }
  for (const ix of GRAPH_INDEXES) {
    const exprs = ix.properties
      .map(
        (p) => `ag_catalog.agtype_access_operator(VARIADIC ARRAY[properties, '"${p}"'::ag_catalog.agtype])`,
      )
      .join(", ");
    // Names come from schema/graph (constants), never from input.
    await sql.unsafe(
      `CREATE ${ix.unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS ${ix.name} ON "${graph}"."${ix.label}" (${exprs})`,
    );
  }
  // Edge endpoint indexes make neighbourhood traversals index scans instead of sequential ones.
  for (const edge of EDGE_TYPES) {
    const base = edge.toLowerCase();
    await sql.unsafe(`CREATE INDEX IF NOT EXISTS ${base}_start_ix ON "${graph}"."${edge}" (start_id)`);
    await sql.unsafe(`CREATE INDEX IF NOT EXISTS ${base}_end_ix ON "${graph}"."${edge}" (end_id)`);
  }
  for (const ix of UNIQUE_EDGE_INDEXES)
    await sql.unsafe(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${ix.name} ON "${graph}"."${ix.edge}" (start_id, end_id)`,
    );
}

async function migrateSql(sql: Tx, report: MigrationReport): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS imbi_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
  const applied = new Map(
    (await sql`SELECT name, checksum FROM imbi_migrations`).map((r) => [
      r.name as string,
      r.checksum as string,
    ]),
  );
  const files = (await readdir(SQL_DIR)).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) {
    const text = await readFile(`${SQL_DIR}${file}`, "utf8");
    const checksum = createHash("sha256").update(text).digest("hex");
    const seen = applied.get(file);
    if (seen === checksum) continue;
    if (seen !== undefined)
      throw new Error(`migration ${file} changed after it was applied; add a new file instead`);
    await sql.unsafe(text);
    await sql`INSERT INTO imbi_migrations (name, checksum) VALUES (${file}, ${checksum})`;
    report.sqlApplied.push(file);
  }
}
