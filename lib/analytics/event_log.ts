import { z } from "zod";
import { AnalyticsTimestamp, Cursor, Limit, text } from "./columns.ts";
import { type AuditCursor, decodeCursor, encodeCursor } from "./cursor.ts";
import { AnalyticsQueryError } from "./errors.ts";

/** What happened to the entity. */
export const EventAction = z.enum(["created", "updated", "deleted"]);

/**
 * One change to a catalog entity (a project's field, for now): one row per changed top-level
 * field. Values are any JSON, stored as JSON text. Immutable: a re-sent id is the same row.
 */
export const EventRowSchema = z
  .object({
    id: text(128).min(1),
    occurred_at: AnalyticsTimestamp,
    organization: text(128).default(""),
    entity_type: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits and _"),
    entity_id: text(128).min(1),
    action: EventAction,
    /** Top-level field name, or `*` for the whole entity. */
    field: text(256).min(1),
    old_value: z.json().default(null),
    new_value: z.json().default(null),
    principal: text(320).default(""),
    request_id: text(128).default(""),
  })
  .strict();

/** An event row as stored and returned (old/new values decoded from JSON text). */
export type EventRow = z.output<typeof EventRowSchema>;

/** Event feed query; `from` inclusive, `to` exclusive, newest first. */
export const EventQuerySchema = z
  .object({
    organization: text(128).optional(),
    entity_type: text(64).optional(),
    entity_id: text(128).optional(),
    field: text(256).optional(),
    principal: text(320).optional(),
    action: EventAction.optional(),
    from: AnalyticsTimestamp.optional(),
    to: AnalyticsTimestamp.optional(),
    limit: Limit,
    cursor: Cursor.optional(),
  })
  .strict();

/** Input of `listEvents`. */
export type EventQuery = z.input<typeof EventQuerySchema>;

/** One page of events. */
export interface EventPage {
  data: EventRow[];
  nextCursor: string | null;
}

/** An event flattened for storage: the instant as epoch ms, values as JSON text. */
export interface EventRecord extends Omit<EventRow, "occurred_at" | "old_value" | "new_value"> {
  ts_ms: number;
  old_value: string;
  new_value: string;
}

/** A validated event query with instants as epoch ms. */
export interface ParsedEventQuery extends Omit<z.output<typeof EventQuerySchema>, "from" | "to" | "cursor"> {
  fromMs?: number;
  toMs?: number;
  after?: AuditCursor;
}

/** Flattens a validated event for storage. */
export function toEventRecord(row: EventRow): EventRecord {
  const { occurred_at, old_value, new_value, ...rest } = row;
  return {
    ...rest,
    ts_ms: Date.parse(occurred_at),
    old_value: JSON.stringify(old_value),
    new_value: JSON.stringify(new_value),
  };
}

/** JSON text that fails to parse comes back as `{__raw__, __error__}`, never as a 500. */
function readJson(s: string): z.output<ReturnType<typeof z.json>> {
  try {
    return JSON.parse(s);
  } catch (e) {
    return { __raw__: s, __error__: e instanceof Error ? e.message : String(e) };
  }
}

/** Rebuilds the event from a stored record. */
export function fromEventRecord(rec: EventRecord): EventRow {
  const { ts_ms, old_value, new_value, ...rest } = rec;
  return {
    ...rest,
    occurred_at: new Date(Number(ts_ms)).toISOString(),
    old_value: readJson(old_value),
    new_value: readJson(new_value),
  };
}

/** Validates an event query; throws {@link AnalyticsQueryError}. */
export function parseEventQuery(q: EventQuery): ParsedEventQuery {
  const parsed = EventQuerySchema.safeParse(q);
  if (!parsed.success) throw new AnalyticsQueryError(z.prettifyError(parsed.error));
  const { from, to, cursor, ...rest } = parsed.data;
  return {
    ...rest,
    fromMs: from === undefined ? undefined : Date.parse(from),
    toMs: to === undefined ? undefined : Date.parse(to),
    after: cursor === undefined ? undefined : decodeCursor(cursor),
  };
}

/** Turns `limit + 1` records into a page. */
export function toEventPage(records: EventRecord[], limit: number): EventPage {
  const page = records.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    records.length > limit && last ? encodeCursor({ tsMs: Number(last.ts_ms), id: last.id }) : null;
  return { data: page.map(fromEventRecord), nextCursor };
}
