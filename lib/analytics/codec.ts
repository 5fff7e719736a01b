import { z } from "zod";
import { fail, ok, type Result } from "../result.ts";
import { type AuditCursor, decodeCursor, encodeCursor } from "./cursor.ts";
import {
  AnalyticsQueryError,
  type AnalyticsRow,
  type AnalyticsTable,
  type AuditQuery,
  AuditQuerySchema,
  type AuditRow,
  analyticsTables,
  type StoredRow,
} from "./types.ts";

export { type AuditCursor, decodeCursor, encodeCursor } from "./cursor.ts";

/**
 * An audit row in the flat shape both stores hold: the instant as epoch milliseconds, the flag as
 * 0/1 and details as JSON text. Adapters only translate this to and from their column types.
 */
export interface AuditRecord {
  id: string;
  ts_ms: number;
  event: string;
  actor: string;
  actor_kind: string;
  credential: string;
  organization: string;
  subject: string;
  ip: string;
  user_agent: string;
  request_id: string;
  success: number;
  details: string;
}

/** Validates rows for `table`; `err` carries the zod message with the failing row index. */
export function validateRows<T extends AnalyticsTable>(
  table: T,
  rows: AnalyticsRow<T>[],
): Result<StoredRow<T>[]> {
  const schema = analyticsTables[table];
  const out: StoredRow<T>[] = [];
  for (const [i, row] of rows.entries()) {
    const parsed = schema.safeParse(row);
    if (!parsed.success) return fail(new Error(`${table} row ${i}: ${z.prettifyError(parsed.error)}`));
    out.push(parsed.data as StoredRow<T>);
  }
  return ok(out);
}

/** Flattens a validated audit row for storage. */
export function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    ts_ms: Date.parse(row.occurred_at),
    event: row.event,
    actor: row.actor,
    actor_kind: row.actor_kind,
    credential: row.credential,
    organization: row.organization,
    subject: row.subject,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    success: row.success ? 1 : 0,
    details: JSON.stringify(row.details),
  };
}

/** Rebuilds the API shape from a stored record. */
export function fromAuditRecord(rec: AuditRecord): AuditRow {
  return {
    id: rec.id,
    occurred_at: new Date(rec.ts_ms).toISOString(),
    event: rec.event,
    actor: rec.actor,
    actor_kind: rec.actor_kind as AuditRow["actor_kind"],
    credential: rec.credential,
    organization: rec.organization,
    subject: rec.subject,
    ip: rec.ip,
    user_agent: rec.user_agent,
    request_id: rec.request_id,
    success: rec.success === 1,
    details: JSON.parse(rec.details) as AuditRow["details"],
  };
}

/** A validated audit query with instants as epoch milliseconds. */
export interface ParsedAuditQuery {
  event?: string;
  actor?: string;
  credential?: string;
  organization?: string;
  organizations?: string[];
  fromMs?: number;
  toMs?: number;
  limit: number;
  after?: AuditCursor;
}

/** Validates a listAudit query; throws {@link AnalyticsQueryError} on bad input. */
export function parseAuditQuery(q: AuditQuery): ParsedAuditQuery {
  const parsed = AuditQuerySchema.safeParse(q);
  if (!parsed.success) throw new AnalyticsQueryError(z.prettifyError(parsed.error));
  const { event, actor, credential, organization, organizations, from, to, limit, cursor } = parsed.data;
  return {
    event,
    actor,
    credential,
    organization,
    organizations,
    fromMs: from === undefined ? undefined : Date.parse(from),
    toMs: to === undefined ? undefined : Date.parse(to),
    limit,
    after: cursor === undefined ? undefined : decodeCursor(cursor),
  };
}

/**
 * Turns `limit + 1` fetched records into a page: the extra row only proves a next page exists,
 * which avoids handing out a cursor that leads to an empty page.
 */
export function toAuditPage(
  records: AuditRecord[],
  limit: number,
): { data: AuditRow[]; nextCursor: string | null } {
  const page = records.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = records.length > limit && last ? encodeCursor({ tsMs: last.ts_ms, id: last.id }) : null;
  return { data: page.map(fromAuditRecord), nextCursor };
}
