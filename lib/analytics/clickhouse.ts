import { type ClickHouseClient, createClient } from "@clickhouse/client-web";
import { attempt, fail, ok, type Result } from "../result.ts";
import { clickhouseApiKeyUsage } from "./api_key_usage.ts";
import { clickhouseOplog, encodeEvent, encodeOperation } from "./clickhouse_oplog.ts";
import { clickhouseScores, encodeScore } from "./clickhouse_scores.ts";
import { type AuditRecord, parseAuditQuery, toAuditPage, toAuditRecord, validateRows } from "./codec.ts";
import { encodeMcpAccessClickHouse } from "./mcp_access_log.ts";
import { clickhouseMigrations, splitStatements } from "./migrations.ts";
import type { AnalyticsStore, AnalyticsTable, StoredRow } from "./types.ts";
import { clickhouseWebhookDeliveries, encodeWebhookDeliveryClickHouse } from "./webhook_deliveries.ts";

/** Options for {@link createClickHouseAnalytics}. Explicit options win over parts of `url`. */
export interface ClickHouseAnalyticsOptions {
  /** `http(s)://[user:pass@]host:port[/database]`, optionally prefixed `clickhouse+`. */
  url: string;
  database?: string;
  username?: string;
  password?: string;
  /** Per-request timeout; an unreachable server fails an insert within this. Default 10 s. */
  requestTimeoutMs?: number;
}

/** The connection settings encoded in a CLICKHOUSE_URL. */
export interface ClickHouseConnection {
  /** Origin only (`http://host:8123`): the client sends credentials and database separately. */
  url: string;
  database: string;
  username: string;
  password: string;
}

// The database name is spliced into DDL as an identifier, so it is held to a safe shape.
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Parses `http://user:pass@host:8123/db` and `clickhouse+http(s)://…` into client settings.
 * The path names the database (default `imbi`). Throws on anything else: this is configuration,
 * checked once at boot.
 */
export function parseClickHouseUrl(
  raw: string,
  overrides: Partial<ClickHouseConnection> = {},
): ClickHouseConnection {
  const u = new URL(raw.replace(/^clickhouse\+/i, ""));
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new Error(
      `CLICKHOUSE_URL must use http(s):// (optionally clickhouse+http(s)://), got ${u.protocol}`,
    );
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ""));
  const database = overrides.database ?? (path || "imbi");
  if (!DATABASE_NAME.test(database)) throw new Error(`invalid ClickHouse database name: ${database}`);
  return {
    url: u.origin,
    database,
    username: overrides.username ?? (decodeURIComponent(u.username) || "default"),
    password: overrides.password ?? decodeURIComponent(u.password),
  };
}

/**
 * A ClickHouse String literal for any text. Old servers (18.x) have no query parameters, so user
 * input must become SQL text: hex-encoding the UTF-8 bytes leaves only `[0-9a-f]` inside the
 * quotes, so no value can end the literal, whatever quoting rules a server version has.
 */
export function chString(value: string): string {
  let hex = "";
  for (const b of new TextEncoder().encode(value)) hex += b.toString(16).padStart(2, "0");
  return `unhex('${hex}')`;
}

/** A ClickHouse unsigned integer literal; throws unless `n` is a safe non-negative integer. */
export function chUInt(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not an unsigned integer: ${n}`);
  return String(n);
}

// DateTime columns are written as unix seconds: a "YYYY-MM-DD hh:mm:ss" string would be read in
// the server's time zone, which is not always UTC.
type Encoded = Record<string, string | number | string[] | null>;
const encoders: { [T in AnalyticsTable]: (row: StoredRow<T>) => Encoded } = {
  audit_log: (row) => {
    const { ts_ms, ...rest } = toAuditRecord(row);
    return { ...rest, occurred_at: Math.floor(ts_ms / 1000), occurred_ms: ts_ms % 1000 };
  },
  operations_log: encodeOperation,
  events: encodeEvent,
  score_history: encodeScore,
  api_key_usage: (row) => ({ ...row }),
  mcp_access_log: encodeMcpAccessClickHouse,
  webhook_deliveries: encodeWebhookDeliveryClickHouse,
};

interface AuditSelectRow extends Omit<AuditRecord, "ts_ms"> {
  ts: number;
  ms: number;
}

const isAddColumn = (statement: string) => /^ALTER\s+TABLE\s+\S+\s+ADD\s+COLUMN\s/i.test(statement);
// Code 44 (ILLEGAL_COLUMN) with this text is "Cannot add column x: column with this name already exists".
const columnExists = (e: unknown) => e instanceof Error && /already exists/.test(e.message);

const wrap = (what: string, e: unknown): Error =>
  new Error(`clickhouse ${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });

/** Creates the ClickHouse-backed {@link AnalyticsStore} over HTTP (fetch: Workers and Node). */
export function createClickHouseAnalytics(opts: ClickHouseAnalyticsOptions): AnalyticsStore {
  const conn = parseClickHouseUrl(opts.url, {
    database: opts.database,
    username: opts.username,
    password: opts.password,
  });
  const timeout = opts.requestTimeoutMs ?? 10_000;
  const connect = (database: string): ClickHouseClient =>
    createClient({
      url: conn.url,
      username: conn.username,
      password: conn.password,
      database,
      request_timeout: timeout,
      application: "imbi",
    });
  const client = connect(conn.database);

  return {
    kind: "clickhouse",
    ...clickhouseOplog(client),
    ...clickhouseScores(client),
    ...clickhouseApiKeyUsage(client),
    ...clickhouseWebhookDeliveries(client),

    async insert(table, rows) {
      const valid = validateRows(table, rows);
      if (valid.err) return valid;
      if (valid.val.length === 0) return ok(undefined);
      const encode = encoders[table] as (row: StoredRow<typeof table>) => Encoded;
      const res = await attempt(() =>
        client.insert({ table, values: valid.val.map(encode), format: "JSONEachRow" }),
      );
      return res.err ? fail(wrap(`insert into ${table}`, res.err)) : ok(undefined);
    },

    async listAudit(query) {
      const q = parseAuditQuery(query);
      // Epoch milliseconds of a row, for exact comparisons; `occurred_at` bounds alone stay on
      // the primary key so partitions and granules outside the window are skipped.
      const tsMs = "(toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms)";
      const where: string[] = [];
      if (q.event !== undefined) where.push(`event = ${chString(q.event)}`);
      if (q.actor !== undefined) where.push(`actor = ${chString(q.actor)}`);
      if (q.credential !== undefined) where.push(`credential = ${chString(q.credential)}`);
      if (q.organization !== undefined) where.push(`organization = ${chString(q.organization)}`);
      if (q.organizations !== undefined)
        where.push(`organization IN (${q.organizations.map(chString).join(", ")})`);
      if (q.fromMs !== undefined) {
        where.push(`occurred_at >= toDateTime(${chUInt(Math.floor(q.fromMs / 1000))})`);
        where.push(`${tsMs} >= ${chUInt(q.fromMs)}`);
      }
      if (q.toMs !== undefined) {
        where.push(`occurred_at <= toDateTime(${chUInt(Math.floor(q.toMs / 1000))})`);
        where.push(`${tsMs} < ${chUInt(q.toMs)}`);
      }
      if (q.after) {
        const sec = chUInt(Math.floor(q.after.tsMs / 1000));
        where.push(`occurred_at <= toDateTime(${sec})`);
        where.push(
          `(occurred_at, occurred_ms, id) < (toDateTime(${sec}), toUInt16(${chUInt(q.after.tsMs % 1000)}), ${chString(q.after.id)})`,
        );
      }
      // LIMIT 1 BY id hides a duplicate insert that ReplacingMergeTree has not merged away yet.
      const sql = `SELECT id, toUInt32(occurred_at) AS ts, occurred_ms AS ms, event, actor, actor_kind,
          credential, organization,
          subject, ip, user_agent, request_id, success, details
        FROM audit_log
        ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY occurred_at DESC, occurred_ms DESC, id DESC
        LIMIT 1 BY id
        LIMIT ${chUInt(q.limit + 1)}`;
      const rs = await client.query({ query: sql, format: "JSONEachRow" });
      const rows = await rs.json<AuditSelectRow>();
      const records = rows.map(({ ts, ms, ...rest }) => ({ ...rest, ts_ms: ts * 1000 + ms }));
      return toAuditPage(records, q.limit);
    },

    async ping(): Promise<Result<{ latencyMs: number }>> {
      const started = performance.now();
      const res = await attempt(() => client.ping());
      if (res.err) return fail(wrap("ping", res.err));
      if (!res.val.success) return fail(wrap("ping", res.val.error));
      return ok({ latencyMs: performance.now() - started });
    },

    async migrate() {
      // The HTTP `database` setting must name an existing database, so the CREATE goes through
      // a short-lived client pointed at `system`.
      const boot = connect("system");
      try {
        await boot.command({ query: `CREATE DATABASE IF NOT EXISTS \`${conn.database}\`` });
      } finally {
        await boot.close();
      }
      // ClickHouse has no transactions or locks: concurrent migrators may both run a file, so
      // every DDL statement is written to be idempotent (IF NOT EXISTS) and the ledger is a
      // ReplacingMergeTree that tolerates the duplicate row.
      await client.command({
        query: `CREATE TABLE IF NOT EXISTS schema_migrations (version String, applied_at DateTime('UTC'))
          ENGINE = ReplacingMergeTree() ORDER BY version`,
      });
      const rs = await client.query({
        query: "SELECT DISTINCT version FROM schema_migrations",
        format: "JSONEachRow",
      });
      const applied = new Set((await rs.json<{ version: string }>()).map((r) => r.version));
      for (const m of clickhouseMigrations) {
        if (applied.has(m.version)) continue;
        for (const statement of splitStatements(m.sql)) {
          try {
            await client.command({ query: statement });
          } catch (e) {
            // 18.16 has no ADD COLUMN IF NOT EXISTS: a concurrent migrator that ran this file
            // first leaves the column there, which is the state the statement wanted.
            if (!(isAddColumn(statement) && columnExists(e))) throw e;
          }
        }
        await client.insert({
          table: "schema_migrations",
          values: [{ version: m.version, applied_at: Math.floor(Date.now() / 1000) }],
          format: "JSONEachRow",
        });
      }
    },

    async close() {
      await client.close();
    },
  };
}
