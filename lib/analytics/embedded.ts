import type { Sql } from "postgres";
import { attempt, fail, ok, type Result } from "../result.ts";
import { embeddedApiKeyUsage, insertEmbeddedUsage } from "./api_key_usage.ts";
import { type AuditRecord, parseAuditQuery, toAuditPage, toAuditRecord, validateRows } from "./codec.ts";
import { embeddedOplog, encodeEvent, encodeOperation } from "./embedded_oplog.ts";
import { embeddedScores, encodeScore } from "./embedded_scores.ts";
import { embeddedMigrations } from "./migrations.ts";
import type { AnalyticsStore, AnalyticsTable, StoredRow } from "./types.ts";
import { embeddedWebhookDeliveries, encodeWebhookDeliveryEmbedded } from "./webhook_deliveries.ts";

// Postgres caps a statement at 65,535 parameters; 1,000 rows of ~11 columns stays far below.
const INSERT_CHUNK = 1_000;

type Encoded = Record<string, string | number | null>;
// Timestamps travel as ISO strings: the app's client runs with fetch_types off (Hyperdrive, PGlite),
// so postgres.js cannot serialize Date parameters; Postgres casts the text to the column's type.
const iso = (ms: number) => new Date(ms).toISOString();

const encoders: { [T in AnalyticsTable]: (row: StoredRow<T>) => Encoded } = {
  audit_log: (row) => {
    const { ts_ms, ...rest } = toAuditRecord(row);
    return { ...rest, occurred_at: iso(ts_ms) };
  },
  operations_log: encodeOperation,
  events: encodeEvent,
  score_history: encodeScore,
  api_key_usage: (row) => ({ ...row }),
  // timestamptz takes the ISO text as is.
  mcp_access_log: (row) => ({ ...row }),
  webhook_deliveries: encodeWebhookDeliveryEmbedded,
};

const wrap = (what: string, e: unknown): Error =>
  new Error(`embedded analytics ${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });

/**
 * Creates the embedded {@link AnalyticsStore}: the ClickHouse tables as Postgres tables in schema
 * `analytics` of the given database (PGlite or Postgres 16+). The caller owns `sql`; `close()`
 * leaves it open.
 */
export function createEmbeddedAnalytics(sql: Sql): AnalyticsStore {
  return {
    kind: "embedded",
    ...embeddedOplog(sql),
    ...embeddedScores(sql),
    ...embeddedApiKeyUsage(sql),
    ...embeddedWebhookDeliveries(sql),

    async insert(table, rows) {
      const valid = validateRows(table, rows);
      if (valid.err) return valid;
      if (valid.val.length === 0) return ok(undefined);
      if (table === "api_key_usage") {
        // Counters add up instead of keeping the first row (SummingMergeTree's twin).
        const res = await attempt(() => insertEmbeddedUsage(sql, valid.val as StoredRow<"api_key_usage">[]));
        return res.err ? fail(wrap(`insert into ${table}`, res.err)) : ok(undefined);
      }
      const encode = encoders[table] as (row: StoredRow<typeof table>) => Encoded;
      const encoded = valid.val.map(encode);
      const target: string = `analytics.${table}`;
      const res = await attempt(async () => {
        for (let i = 0; i < encoded.length; i += INSERT_CHUNK) {
          const chunk = encoded.slice(i, i + INSERT_CHUNK);
          // `on conflict do nothing` mirrors ReplacingMergeTree: a retried row (same primary key:
          // id, or id + version for operations_log) stays one row.
          await sql`insert into ${sql(target)} ${sql(chunk)} on conflict do nothing`;
        }
      });
      return res.err ? fail(wrap(`insert into ${table}`, res.err)) : ok(undefined);
    },

    async listAudit(query) {
      const q = parseAuditQuery(query);
      const none = sql``;
      // `extract(epoch …)` of a timestamptz(3) is exact, so float8 milliseconds are integers.
      const rows = await sql<AuditRecord[]>`
        select id, (extract(epoch from occurred_at) * 1000)::float8 as ts_ms, event, actor,
               actor_kind, credential, organization, subject, ip, user_agent, request_id, success, details
        from analytics.audit_log
        where true
          ${q.event !== undefined ? sql`and event = ${q.event}` : none}
          ${q.actor !== undefined ? sql`and actor = ${q.actor}` : none}
          ${q.credential !== undefined ? sql`and credential = ${q.credential}` : none}
          ${q.organization !== undefined ? sql`and organization = ${q.organization}` : none}
          ${q.organizations !== undefined ? sql`and organization in (select jsonb_array_elements_text(${JSON.stringify(q.organizations)}::text::jsonb))` : none}
          ${q.fromMs !== undefined ? sql`and occurred_at >= ${iso(q.fromMs)}::timestamptz` : none}
          ${q.toMs !== undefined ? sql`and occurred_at < ${iso(q.toMs)}::timestamptz` : none}
          ${q.after ? sql`and (occurred_at, id) < (${iso(q.after.tsMs)}::timestamptz, ${q.after.id})` : none}
        order by occurred_at desc, id desc
        limit ${q.limit + 1}`;
      return toAuditPage(rows, q.limit);
    },

    async ping(): Promise<Result<{ latencyMs: number }>> {
      const started = performance.now();
      const res = await attempt(() => sql`select 1`);
      return res.err ? fail(wrap("ping", res.err)) : ok({ latencyMs: performance.now() - started });
    },

    async migrate() {
      await sql.begin(async (tx) => {
        // Serialises concurrent migrators (several Node replicas booting at once).
        await tx`select pg_advisory_xact_lock(hashtext('imbi.analytics.migrate'))`;
        await tx`create schema if not exists analytics`;
        await tx`create table if not exists analytics.schema_migrations (
          version text primary key,
          applied_at timestamptz not null default now()
        )`;
        const done = new Set(
          (await tx<{ version: string }[]>`select version from analytics.schema_migrations`).map(
            (r) => r.version,
          ),
        );
        for (const m of embeddedMigrations) {
          if (done.has(m.version)) continue;
          // Our own DDL text, never user input; simple protocol runs the whole multi-statement file.
          await tx.unsafe(m.sql).simple();
          await tx`insert into analytics.schema_migrations (version) values (${m.version})`;
        }
      });
    },

    async close() {
      // Nothing of our own to release: the SQL client belongs to the caller.
    },
  };
}
