import type { PendingQuery, Row, Sql } from "postgres";
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

// Operations log and events on the embedded Postgres (kept apart from embedded.ts to keep files small).

type Encoded = Record<string, string | number | null>;
// Timestamps travel as ISO text (fetch_types is off, so postgres.js cannot send Date parameters).
const iso = (ms: number) => new Date(ms).toISOString();

/** Encodes a validated operations-log row as column values. */
export function encodeOperation(row: OperationRow): Encoded {
  const { occurred_ms, completed_ms, recorded_ms, ...rest } = toOperationRecord(row);
  return {
    ...rest,
    occurred_at: iso(occurred_ms),
    completed_at: completed_ms === null ? null : iso(completed_ms),
    recorded_at: iso(recorded_ms),
  };
}

/** Encodes a validated event as column values. */
export function encodeEvent(row: EventRow): Encoded {
  const { ts_ms, ...rest } = toEventRecord(row);
  return { ...rest, occurred_at: iso(ts_ms) };
}

/** The operations-log and events queries of the embedded adapter. */
export function embeddedOplog(sql: Sql) {
  const none = sql``;
  const epochMs = (col: string) => sql`(extract(epoch from ${sql(col)}) * 1000)::float8`;

  /**
   * The latest version of every entry matching the immutable-column filters (DISTINCT ON is the
   * Postgres spelling of LIMIT 1 BY id); mutable-column filters apply outside, like on ClickHouse.
   */
  const latest = (q: { organization?: string; project_id?: string; id?: string }) => sql`
    select distinct on (id) id, version, deleted, organization, project_id, environment_slug,
           entry_type, description, ${epochMs("occurred_at")} as occurred_ms,
           ${epochMs("completed_at")} as completed_ms, ${epochMs("recorded_at")} as recorded_ms,
           performed_by, recorded_by, link, notes, ticket_slug, version_label
    from analytics.operations_log
    where true
      ${q.id !== undefined ? sql`and id = ${q.id}` : none}
      ${q.organization !== undefined ? sql`and organization = ${q.organization}` : none}
      ${q.project_id !== undefined ? sql`and project_id = ${q.project_id}` : none}
    order by id, version desc`;

  const outer = (q: ParsedOperationFilter): PendingQuery<Row[]> => sql`
    deleted = 0
    ${q.environment_slug !== undefined ? sql`and environment_slug = ${q.environment_slug}` : none}
    ${q.entry_type !== undefined ? sql`and entry_type = ${q.entry_type}` : none}
    ${q.performed_by !== undefined ? sql`and performed_by = ${q.performed_by}` : none}
    ${q.ticket_slug !== undefined ? sql`and ticket_slug = ${q.ticket_slug}` : none}
    ${q.q !== undefined ? sql`and strpos(description, ${q.q}) > 0` : none}
    ${q.fromMs !== undefined ? sql`and occurred_ms >= ${q.fromMs}::float8` : none}
    ${q.toMs !== undefined ? sql`and occurred_ms < ${q.toMs}::float8` : none}`;

  return {
    async listOperations(query: OperationQuery): Promise<OperationPage> {
      const q = parseOperationQuery(query);
      const rows = await sql<OperationRecord[]>`
        select * from (${latest(q)}) l
        where ${outer(q)}
          ${q.after ? sql`and (occurred_ms, id) < (${q.after.tsMs}::float8, ${q.after.id})` : none}
        order by occurred_ms desc, id desc
        limit ${q.limit + 1}`;
      return toOperationPage(rows, q.limit);
    },

    async getOperation(id: string): Promise<OperationRow | null> {
      const [rec] = await sql<OperationRecord[]>`${latest({ id })}`;
      return rec && Number(rec.deleted) === 0 ? fromOperationRecord(rec) : null;
    },

    async operationMetrics(query: OperationFilter): Promise<OperationMetrics> {
      const q = parseOperationFilter(query);
      const rows = await sql<
        { entry_type: string; environment_slug: string; project_id: string; n: string }[]
      >`
        select entry_type, environment_slug, project_id, count(*) as n
        from (${latest(q)}) l
        where ${outer(q)}
        group by entry_type, environment_slug, project_id`;
      return toOperationMetrics(rows);
    },

    async listEvents(query: EventQuery): Promise<EventPage> {
      const q = parseEventQuery(query);
      const eq = (col: keyof typeof q) => {
        const v = q[col];
        return typeof v === "string" ? sql`and ${sql(col)} = ${v}` : none;
      };
      const rows = await sql<EventRecord[]>`
        select id, ${epochMs("occurred_at")} as ts_ms, organization, entity_type, entity_id, action,
               field, old_value, new_value, principal, request_id
        from analytics.events
        where true
          ${eq("organization")} ${eq("entity_type")} ${eq("entity_id")}
          ${eq("field")} ${eq("principal")} ${eq("action")}
          ${q.fromMs !== undefined ? sql`and occurred_at >= ${iso(q.fromMs)}::timestamptz` : none}
          ${q.toMs !== undefined ? sql`and occurred_at < ${iso(q.toMs)}::timestamptz` : none}
          ${q.after ? sql`and (occurred_at, id) < (${iso(q.after.tsMs)}::timestamptz, ${q.after.id})` : none}
        order by occurred_at desc, id desc
        limit ${q.limit + 1}`;
      return toEventPage(rows, q.limit);
    },
  };
}
