import type { ClickHouseClient } from "@clickhouse/client-web";
import { chString, chUInt } from "./clickhouse.ts";
import {
  type EventPage,
  type EventQuery,
  type EventRecord,
  type EventRow,
  parseEventQuery,
  toEventPage,
  toEventRecord,
} from "./event_log.ts";
import {
  fromOperationRecord,
  type OperationFilter,
  type OperationMetrics,
  type OperationPage,
  type OperationQuery,
  type OperationRecord,
  type OperationRow,
  type ParsedOperationFilter,
  parseOperationFilter,
  parseOperationQuery,
  toOperationMetrics,
  toOperationPage,
  toOperationRecord,
} from "./operations.ts";

// Operations log and events on ClickHouse (kept apart from clickhouse.ts to keep files small).
// DateTime columns are written as unix seconds plus a *_ms column, as in audit_log (ADR 0003).

type Encoded = Record<string, string | number | null>;
const sec = (ms: number) => Math.floor(ms / 1000);

/** Encodes a validated operations-log row for JSONEachRow. */
export function encodeOperation(row: OperationRow): Encoded {
  const { occurred_ms, completed_ms, recorded_ms, ...rest } = toOperationRecord(row);
  return {
    ...rest,
    occurred_at: sec(occurred_ms),
    occurred_ms: occurred_ms % 1000,
    completed_at: completed_ms === null ? null : sec(completed_ms),
    completed_ms: completed_ms === null ? 0 : completed_ms % 1000,
    recorded_at: sec(recorded_ms),
    recorded_ms: recorded_ms % 1000,
  };
}

/** Encodes a validated event for JSONEachRow. */
export function encodeEvent(row: EventRow): Encoded {
  const { ts_ms, ...rest } = toEventRecord(row);
  return { ...rest, occurred_at: sec(ts_ms), occurred_ms: ts_ms % 1000 };
}

const msOf = (col: string, msCol: string) => `toUInt64(toUInt32(${col})) * 1000 + ${msCol}`;

/**
 * The latest version of every entry matching the immutable-column filters. Filters on columns a
 * PATCH can change must be applied outside, after the latest version is picked, or an outdated
 * version could match. UInt64 values come back as JSON strings; the codec converts them.
 */
function latest(where: string[]): string {
  return `SELECT id, version, deleted, organization, project_id, environment_slug, entry_type,
      description, ${msOf("occurred_at", "occurred_ms")} AS o_ms,
      ${msOf("completed_at", "completed_ms")} AS c_ms, ${msOf("recorded_at", "recorded_ms")} AS r_ms,
      performed_by, recorded_by, link, notes, ticket_slug, version_label
    FROM operations_log
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY id, version DESC
    LIMIT 1 BY id`;
}

function operationWhere(q: ParsedOperationFilter): { inner: string[]; outer: string[] } {
  const inner: string[] = [];
  const outer: string[] = ["deleted = 0"];
  if (q.organization !== undefined) inner.push(`organization = ${chString(q.organization)}`);
  if (q.project_id !== undefined) inner.push(`project_id = ${chString(q.project_id)}`);
  if (q.environment_slug !== undefined) outer.push(`environment_slug = ${chString(q.environment_slug)}`);
  if (q.entry_type !== undefined) outer.push(`entry_type = ${chString(q.entry_type)}`);
  if (q.performed_by !== undefined) outer.push(`performed_by = ${chString(q.performed_by)}`);
  if (q.ticket_slug !== undefined) outer.push(`ticket_slug = ${chString(q.ticket_slug)}`);
  if (q.q !== undefined) outer.push(`position(description, ${chString(q.q)}) > 0`);
  if (q.fromMs !== undefined) outer.push(`o_ms >= ${chUInt(q.fromMs)}`);
  if (q.toMs !== undefined) outer.push(`o_ms < ${chUInt(q.toMs)}`);
  return { inner, outer };
}

interface OperationSelectRow extends Omit<OperationRecord, "occurred_ms" | "completed_ms" | "recorded_ms"> {
  o_ms: number | string;
  c_ms: number | string | null;
  r_ms: number | string;
}

const toRecord = ({ o_ms, c_ms, r_ms, ...rest }: OperationSelectRow): OperationRecord => ({
  ...rest,
  occurred_ms: Number(o_ms),
  completed_ms: c_ms === null ? null : Number(c_ms),
  recorded_ms: Number(r_ms),
});

/** The operations-log and events queries of the ClickHouse adapter. */
export function clickhouseOplog(client: ClickHouseClient) {
  const rows = async <R>(query: string): Promise<R[]> =>
    (await client.query({ query, format: "JSONEachRow" })).json<R>();

  return {
    async listOperations(query: OperationQuery): Promise<OperationPage> {
      const q = parseOperationQuery(query);
      const { inner, outer } = operationWhere(q);
      if (q.after) outer.push(`(o_ms, id) < (toUInt64(${chUInt(q.after.tsMs)}), ${chString(q.after.id)})`);
      const got = await rows<OperationSelectRow>(`SELECT * FROM (${latest(inner)})
        WHERE ${outer.join(" AND ")}
        ORDER BY o_ms DESC, id DESC
        LIMIT ${chUInt(q.limit + 1)}`);
      return toOperationPage(got.map(toRecord), q.limit);
    },

    async getOperation(id: string): Promise<OperationRow | null> {
      const got = await rows<OperationSelectRow>(latest([`id = ${chString(id)}`]));
      const rec = got[0];
      return rec && Number(rec.deleted) === 0 ? fromOperationRecord(toRecord(rec)) : null;
    },

    async operationMetrics(query: OperationFilter): Promise<OperationMetrics> {
      const { inner, outer } = operationWhere(parseOperationFilter(query));
      const got = await rows<{ entry_type: string; environment_slug: string; project_id: string; n: string }>(
        `SELECT entry_type, environment_slug, project_id, count() AS n FROM (${latest(inner)})
          WHERE ${outer.join(" AND ")}
          GROUP BY entry_type, environment_slug, project_id`,
      );
      return toOperationMetrics(got);
    },

    async listEvents(query: EventQuery): Promise<EventPage> {
      const q = parseEventQuery(query);
      const tsMs = msOf("occurred_at", "occurred_ms");
      const where: string[] = [];
      for (const k of ["organization", "entity_type", "entity_id", "field", "principal", "action"] as const) {
        const v = q[k];
        if (v !== undefined) where.push(`${k} = ${chString(v)}`);
      }
      // The second-resolution bounds stay on the primary key; the ms expression is exact.
      if (q.fromMs !== undefined) {
        where.push(`occurred_at >= toDateTime(${chUInt(sec(q.fromMs))})`);
        where.push(`${tsMs} >= ${chUInt(q.fromMs)}`);
      }
      if (q.toMs !== undefined) {
        where.push(`occurred_at <= toDateTime(${chUInt(sec(q.toMs))})`);
        where.push(`${tsMs} < ${chUInt(q.toMs)}`);
      }
      if (q.after) {
        where.push(`occurred_at <= toDateTime(${chUInt(sec(q.after.tsMs))})`);
        where.push(`(${tsMs}, id) < (toUInt64(${chUInt(q.after.tsMs)}), ${chString(q.after.id)})`);
      }
      const got = await rows<Omit<EventRecord, "ts_ms"> & { ts_ms: string }>(
        `SELECT id, ${tsMs} AS ts_ms, organization, entity_type, entity_id, action, field, old_value,
            new_value, principal, request_id
          FROM events
          ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY occurred_at DESC, occurred_ms DESC, id DESC
          LIMIT 1 BY id
          LIMIT ${chUInt(q.limit + 1)}`,
      );
      return toEventPage(
        got.map((r) => ({ ...r, ts_ms: Number(r.ts_ms) })),
        q.limit,
      );
    },
  };
}
