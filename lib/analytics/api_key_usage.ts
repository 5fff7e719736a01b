import type { ClickHouseClient } from "@clickhouse/client-web";
import type { Sql } from "postgres";
import { z } from "zod";
import { chString, chUInt } from "./clickhouse.ts";
import { text } from "./columns.ts";
import { AnalyticsQueryError } from "./errors.ts";

// Per-key request counts (issue 10): one row per request authenticated by an API key, summed per
// (key, UTC day, route template, method, status) by both stores. Kept apart from the adapters'
// main files, like the score history, to keep those small.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** True for an existing UTC calendar day written `YYYY-MM-DD` (not `2026-02-30`). */
export function isCalendarDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}
/** A UTC calendar day, `YYYY-MM-DD`. */
export const UsageDay = z.string().refine(isCalendarDay, "must be a calendar day, YYYY-MM-DD");

/** One usage row as inserted (`requests` is usually 1: one request). */
export const ApiKeyUsageRowSchema = z
  .object({
    key_id: text(64).min(1),
    day: UsageDay,
    /** The OpenAPI path template (`/api/projects/{id}`), never the raw URL. */
    route: text(512).min(1),
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    status: z.number().int().min(100).max(599),
    requests: z.number().int().min(1).default(1),
  })
  .strict();

/** A usage row after validation. */
export type ApiKeyUsageRow = z.output<typeof ApiKeyUsageRowSchema>;

/** The longest window one usage query may span, in days (inclusive). */
export const MAX_USAGE_DAYS = 366;

/** A usage query: one key, days `from`..`to`, both inclusive (UTC). */
export const ApiKeyUsageQuerySchema = z
  .object({ keyId: text(64).min(1), from: UsageDay, to: UsageDay })
  .strict()
  .refine((q) => q.from <= q.to, "from must not be after to")
  .refine(
    (q) => Date.parse(q.to) - Date.parse(q.from) < MAX_USAGE_DAYS * 86_400_000,
    `the window must not exceed ${MAX_USAGE_DAYS} days`,
  );

/** Input of {@link AnalyticsStore.apiKeyUsage}. */
export type ApiKeyUsageQuery = z.input<typeof ApiKeyUsageQuerySchema>;

/** Requests of one key on one day for one route, method and status. */
export interface ApiKeyUsagePoint {
  day: string;
  route: string;
  method: string;
  status: number;
  requests: number;
}

function parseQuery(q: ApiKeyUsageQuery) {
  const parsed = ApiKeyUsageQuerySchema.safeParse(q);
  if (!parsed.success) throw new AnalyticsQueryError(z.prettifyError(parsed.error));
  return parsed.data;
}

const toPoint = (r: {
  day: string;
  route: string;
  method: string;
  status: number | string;
  requests: number | string;
}) => ({
  day: r.day,
  route: r.route,
  method: r.method,
  status: Number(r.status),
  requests: Number(r.requests),
});

/** The ClickHouse read; sums because rows with one key are merged only eventually. */
export function clickhouseApiKeyUsage(client: ClickHouseClient) {
  return {
    async apiKeyUsage(query: ApiKeyUsageQuery): Promise<ApiKeyUsagePoint[]> {
      const q = parseQuery(query);
      const rs = await client.query({
        // The day goes out under another name: ClickHouse aliases are visible in WHERE, and
        // \`toString(day) AS day\` would turn the filters below into string comparisons.
        query: `SELECT toString(day) AS day_text, route, method, status, sum(requests) AS requests
          FROM api_key_usage
          WHERE key_id = ${chString(q.keyId)}
            AND day >= toDate(${chString(q.from)}) AND day <= toDate(${chString(q.to)})
          GROUP BY day, route, method, status
          ORDER BY day, route, method, status
          LIMIT ${chUInt(100_000)}`,
        format: "JSONEachRow",
      });
      const rows = await rs.json<Omit<Parameters<typeof toPoint>[0], "day"> & { day_text: string }>();
      return rows.map(({ day_text, ...r }) => toPoint({ ...r, day: day_text }));
    },
  };
}

/** The embedded read (rows are already one per key, so the sum only normalises the types). */
export function embeddedApiKeyUsage(sql: Sql) {
  return {
    async apiKeyUsage(query: ApiKeyUsageQuery): Promise<ApiKeyUsagePoint[]> {
      const q = parseQuery(query);
      const rows = await sql<Parameters<typeof toPoint>[0][]>`
        select to_char(day, 'YYYY-MM-DD') as day, route, method, status::int as status,
               sum(requests)::float8 as requests
        from analytics.api_key_usage
        where key_id = ${q.keyId} and day >= ${q.from}::date and day <= ${q.to}::date
        group by day, route, method, status
        order by day, route, method, status
        limit 100000`;
      return rows.map(toPoint);
    },
  };
}

/**
 * Inserts usage rows into the embedded table, adding to the counts of existing rows (what
 * SummingMergeTree does on ClickHouse). Rows of one statement are summed first: Postgres refuses
 * an upsert that touches one row twice.
 */
export async function insertEmbeddedUsage(sql: Sql, rows: ApiKeyUsageRow[]): Promise<void> {
  const merged = new Map<string, ApiKeyUsageRow>();
  for (const r of rows) {
    const k = JSON.stringify([r.key_id, r.day, r.route, r.method, r.status]);
    const prev = merged.get(k);
    merged.set(k, prev ? { ...prev, requests: prev.requests + r.requests } : { ...r });
  }
  const values = [...merged.values()];
  await sql`insert into analytics.api_key_usage ${sql(values)}
    on conflict (key_id, day, route, method, status)
    do update set requests = analytics.api_key_usage.requests + excluded.requests`;
}
