/**
 * The analytics DDL, in order. The `.sql` files under `schema/clickhouse/` are the reviewed source;
 * the text is inlined here because Workers bundles cannot read files at run time, and
 * `migrations.test.ts` fails when the two drift apart.
 */

/** One DDL file: `version` is its file name without `.sql`, recorded in the ledger once applied. */
export interface AnalyticsMigration {
  version: string;
  sql: string;
}

/** ClickHouse DDL (`schema/clickhouse/*.sql`); must run on 18.16 and current releases. */
export const clickhouseMigrations: readonly AnalyticsMigration[] = [
  {
    version: "0001_audit_log",
    sql: `-- Audit log: one row per security-relevant event (DESIGN.md §6).
-- Must run on Debian's ClickHouse 18.16 and on current releases, so: DateTime (whole seconds)
-- plus occurred_ms for sub-second order, no DateTime64/TTL/JSON/LowCardinality.
-- ReplacingMergeTree keyed on the sort key that ends in id: a retried insert of the same event
-- (the analytics outbox retries) collapses into one row at merge time.
CREATE TABLE IF NOT EXISTS audit_log
(
    id           String,
    occurred_at  DateTime('UTC'),
    occurred_ms  UInt16,
    event        String,
    actor        String,
    organization String,
    subject      String,
    ip           String,
    user_agent   String,
    request_id   String,
    success      UInt8,
    details      String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, occurred_ms, id);
`,
  },
];

/** Postgres DDL for the embedded adapter (`schema/clickhouse/embedded/*.sql`). */
export const embeddedMigrations: readonly AnalyticsMigration[] = [
  {
    version: "0001_audit_log",
    sql: `-- Embedded twin of ../0001_audit_log.sql for the Postgres (PGlite) analytics adapter.
-- timestamptz(3) keeps exactly the millisecond precision the ClickHouse table keeps.
-- The primary key on id mirrors ReplacingMergeTree: a retried insert is a no-op. COLLATE "C"
-- orders ids by bytes, as ClickHouse does, so ties break the same way in both adapters.
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE IF NOT EXISTS analytics.audit_log (
    id           text COLLATE "C" PRIMARY KEY,
    occurred_at  timestamptz(3) NOT NULL,
    event        text NOT NULL,
    actor        text NOT NULL DEFAULT '',
    organization text NOT NULL DEFAULT '',
    subject      text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    request_id   text NOT NULL DEFAULT '',
    success      smallint NOT NULL CHECK (success IN (0, 1)),
    details      text NOT NULL DEFAULT '{}'
);

-- Newest-first keyset scans, unfiltered and by the two common filters.
CREATE INDEX IF NOT EXISTS audit_log_time_idx ON analytics.audit_log (occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_org_time_idx ON analytics.audit_log (organization, occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_actor_time_idx ON analytics.audit_log (actor, occurred_at DESC, id DESC);
`,
  },
];

/**
 * Splits a DDL file into statements: ClickHouse's HTTP interface takes one per request.
 * Splits only on a `;` that ends a line, which our DDL files guarantee, and drops `--` comment
 * lines, so a `;` inside a string literal in the middle of a line is never a boundary.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
