import type { ClickHouseClient } from "@clickhouse/client-web";
import type { Sql } from "postgres";
import { z } from "zod";
import { chString, chUInt } from "./clickhouse.ts";
import { AnalyticsTimestamp, Cursor, Limit, text } from "./columns.ts";
import { type AuditCursor, decodeCursor, encodeCursor } from "./cursor.ts";
import { textArrayLiteral } from "./embedded_scores.ts";
import { AnalyticsQueryError } from "./errors.ts";
import type { AnalyticsStore } from "./types.ts";

// The record of inbound webhook deliveries (issue 13): one row per processing attempt of a
// delivery the gateway received — which projects it matched, what each rule's action did, the
// (redacted) headers — so an operator can see why an automation did or did not happen. Kept apart
// from the adapters' main files, like the API-key usage: the schema, both encoders and both reads.

/**
 * processed: every matched rule ran (each outcome says how); retrying: an attempt failed and
 * another follows; dead: the last attempt failed, nothing more is tried; unmatched: no project or
 * no rule matched, so nothing ran.
 */
export const WEBHOOK_DELIVERY_STATUSES = ["processed", "retrying", "dead", "unmatched"] as const;
export const WebhookDeliveryStatus = z.enum(WEBHOOK_DELIVERY_STATUSES);

// Both stores hold these as 32-bit integers (ClickHouse UInt32, Postgres integer).
const MAX_INT = 2_147_483_647;

/** What one rule's action did for one matched project. */
export const WebhookRuleOutcomeSchema = z
  .object({
    /** The project's id. */
    project: text(64).min(1),
    /** The rule's id. */
    rule: text(64).min(1),
    /** The action run (`create_release`, `plugin#action`). */
    action: text(128).min(1),
    status: z.enum(["succeeded", "skipped", "failed"]),
    duration_ms: z.number().int().min(0).max(MAX_INT),
    /** Why it failed or was skipped; `""` when it succeeded. */
    error: text(2048).default(""),
  })
  .strict();

/** One processing attempt of an inbound delivery, as inserted. */
export const WebhookDeliveryRowSchema = z
  .object({
    /** `<delivery id>.<attempt>`: a retried insert of one attempt is the same row. */
    id: text(128).min(1),
    occurred_at: AnalyticsTimestamp,
    /** The organization's slug. */
    organization: text(63).min(1),
    /** The webhook's slug (what the API addresses it by) and its id (what survives a rename). */
    webhook: text(64).min(1),
    webhook_id: text(64).min(1),
    /** Imbi's receipt id of the delivery, the same for every attempt. */
    delivery_id: text(64).min(1),
    /** The sender's delivery id (`X-GitHub-Delivery`), `""` when it sends none. */
    external_id: text(256).default(""),
    /** The sender's event type (`deployment_status`), `""` when unknown. */
    event_type: text(256).default(""),
    attempt: z.number().int().min(1).max(MAX_INT),
    status: WebhookDeliveryStatus,
    /** Ids of the projects the delivery matched. */
    matched_projects: z.array(text(64).min(1)).max(100).default([]),
    outcomes: z.array(WebhookRuleOutcomeSchema).max(1000).default([]),
    /** The request's headers, lower-case names, secrets already redacted by the caller. */
    headers: z
      .record(text(256), text(8192))
      .refine((h) => Object.keys(h).length <= 200, "at most 200 headers")
      .default({}),
    duration_ms: z.number().int().min(0).max(MAX_INT),
    /** Why the attempt failed as a whole; `""` when it did not. */
    error: text(2048).default(""),
  })
  .strict();

/** A delivery row after validation, as both stores return it. */
export type WebhookDeliveryRow = z.output<typeof WebhookDeliveryRowSchema>;

/** The deliveries of one webhook, newest first (`occurred_at`, then id, descending). */
export const WebhookDeliveryQuerySchema = z
  .object({
    organization: text(63).min(1),
    webhook: text(64).min(1),
    limit: Limit,
    cursor: Cursor.optional(),
  })
  .strict();

/** Input of `listWebhookDeliveries`. */
export type WebhookDeliveryQuery = z.input<typeof WebhookDeliveryQuerySchema>;

/** One page of delivery rows. */
export interface WebhookDeliveryPage {
  data: WebhookDeliveryRow[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** A row in the flat shape both stores hold: the instant as epoch ms, objects as JSON text. */
interface DeliveryRecord extends Omit<WebhookDeliveryRow, "occurred_at" | "outcomes" | "headers"> {
  ts_ms: number;
  outcomes: string;
  headers: string;
}

function toRecord(row: WebhookDeliveryRow): DeliveryRecord {
  const { occurred_at, outcomes, headers, ...rest } = row;
  return {
    ...rest,
    ts_ms: Date.parse(occurred_at),
    outcomes: JSON.stringify(outcomes),
    headers: JSON.stringify(headers),
  };
}

function fromRecord(rec: DeliveryRecord): WebhookDeliveryRow {
  const { ts_ms, outcomes, headers, ...rest } = rec;
  return {
    ...rest,
    occurred_at: new Date(ts_ms).toISOString(),
    // Written by toRecord from validated values, so the text is always JSON of this shape.
    outcomes: JSON.parse(outcomes) as WebhookDeliveryRow["outcomes"],
    headers: JSON.parse(headers) as WebhookDeliveryRow["headers"],
  };
}

function parseQuery(q: WebhookDeliveryQuery) {
  const parsed = WebhookDeliveryQuerySchema.safeParse(q);
  if (!parsed.success) throw new AnalyticsQueryError(z.prettifyError(parsed.error));
  const { cursor, ...rest } = parsed.data;
  return { ...rest, after: cursor === undefined ? undefined : decodeCursor(cursor) };
}

function toPage(records: DeliveryRecord[], limit: number): WebhookDeliveryPage {
  const page = records.slice(0, limit);
  const last = page.at(-1);
  const after: AuditCursor | undefined = last && { tsMs: last.ts_ms, id: last.id };
  return {
    data: page.map(fromRecord),
    nextCursor: records.length > limit && after ? encodeCursor(after) : null,
  };
}

/** Encodes a row for ClickHouse: DateTime as unix seconds plus the milliseconds column. */
export function encodeWebhookDeliveryClickHouse(
  row: WebhookDeliveryRow,
): Record<string, string | number | string[]> {
  const { ts_ms, ...rest } = toRecord(row);
  return { ...rest, occurred_at: Math.floor(ts_ms / 1000), occurred_ms: ts_ms % 1000 };
}

/** Encodes a row for the embedded table (timestamptz takes ISO text). */
export function encodeWebhookDeliveryEmbedded(row: WebhookDeliveryRow): Record<string, string | number> {
  const { ts_ms, matched_projects, ...rest } = toRecord(row);
  return {
    ...rest,
    occurred_at: new Date(ts_ms).toISOString(),
    matched_projects: textArrayLiteral(matched_projects),
  };
}

/** The ClickHouse read; LIMIT 1 BY id hides a re-sent attempt ReplacingMergeTree has not merged yet. */
export function clickhouseWebhookDeliveries(client: ClickHouseClient) {
  return {
    async listWebhookDeliveries(query: WebhookDeliveryQuery): Promise<WebhookDeliveryPage> {
      const q = parseQuery(query);
      const tsMs = "toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms";
      const where = [`organization = ${chString(q.organization)}`, `webhook = ${chString(q.webhook)}`];
      if (q.after) {
        // The second-resolution bound stays on the sort key; the ms expression is exact.
        where.push(`occurred_at <= toDateTime(${chUInt(Math.floor(q.after.tsMs / 1000))})`);
        where.push(`(${tsMs}, id) < (toUInt64(${chUInt(q.after.tsMs)}), ${chString(q.after.id)})`);
      }
      const rs = await client.query({
        query: `SELECT id, ${tsMs} AS ts_ms, organization, webhook, webhook_id, delivery_id, external_id,
            event_type, attempt, status, matched_projects, outcomes, headers, duration_ms, error
          FROM webhook_deliveries
          WHERE ${where.join(" AND ")}
          ORDER BY occurred_at DESC, occurred_ms DESC, id DESC
          LIMIT 1 BY id
          LIMIT ${chUInt(q.limit + 1)}`,
        format: "JSONEachRow",
      });
      // UInt64 arrives as a JSON string (ClickHouse quotes 64-bit integers).
      const rows = await rs.json<Omit<DeliveryRecord, "ts_ms"> & { ts_ms: string }>();
      return toPage(
        rows.map((r) => ({ ...r, ts_ms: Number(r.ts_ms) })),
        q.limit,
      );
    },
  };
}

/** The embedded read, newest first through the (organization, webhook, occurred_at, id) index. */
export function embeddedWebhookDeliveries(sql: Sql) {
  return {
    async listWebhookDeliveries(query: WebhookDeliveryQuery): Promise<WebhookDeliveryPage> {
      const q = parseQuery(query);
      const after = q.after
        ? sql`and (occurred_at, id) < (${new Date(q.after.tsMs).toISOString()}::timestamptz, ${q.after.id})`
        : sql``;
      // `extract(epoch …)` of a timestamptz(3) is exact; the array comes back as JSON text because
      // the client runs with fetch_types off and would not parse a text[].
      const rows = await sql<(Omit<DeliveryRecord, "matched_projects"> & { matched_projects: string })[]>`
        select id, (extract(epoch from occurred_at) * 1000)::float8 as ts_ms, organization, webhook,
               webhook_id, delivery_id, external_id, event_type, attempt, status,
               array_to_json(matched_projects)::text as matched_projects, outcomes, headers,
               duration_ms, error
        from analytics.webhook_deliveries
        where organization = ${q.organization} and webhook = ${q.webhook} ${after}
        order by occurred_at desc, id desc
        limit ${q.limit + 1}`;
      return toPage(
        rows.map((r) => ({ ...r, matched_projects: JSON.parse(r.matched_projects) as string[] })),
        q.limit,
      );
    },
  };
}

/** The deliveries of one webhook, newest first, keyset paged: what the gateway's delivery log reads. */
export function listWebhookDeliveryRecords(
  store: Pick<AnalyticsStore, "listWebhookDeliveries">,
  q: WebhookDeliveryQuery,
): Promise<WebhookDeliveryPage> {
  return store.listWebhookDeliveries(q);
}
