import { z } from "zod";
import { AnalyticsTimestamp, Cursor, Limit, text } from "./columns.ts";
import { type AuditCursor, decodeCursor, encodeCursor } from "./cursor.ts";
import { AnalyticsQueryError } from "./errors.ts";

/** The change-management entry types of the reference (operations_log.entry_type). */
export const ENTRY_TYPES = [
  "Configured",
  "Decommissioned",
  "Deployed",
  "Migrated",
  "Provisioned",
  "Restarted",
  "Rolled Back",
  "Scaled",
  "Upgraded",
] as const;

/** One of {@link ENTRY_TYPES}. */
export const EntryType = z.enum(ENTRY_TYPES);

/**
 * One version of an operations-log entry. A PATCH inserts a new row with a higher `version`; a
 * DELETE inserts a tombstone (`deleted: true`). Readers take the highest version per id, so both
 * stores behave like ClickHouse's ReplacingMergeTree(version). Unset text columns are `""`.
 */
export const OperationRowSchema = z
  .object({
    id: text(128).min(1),
    /** Row version (ms clock, strictly increasing per id); not the user's `version_label`. */
    version: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    deleted: z.boolean().default(false),
    /** Organization slug of the project. */
    organization: text(128).min(1),
    project_id: text(128).min(1),
    environment_slug: text(128).min(1),
    entry_type: EntryType,
    description: text(4096).min(1),
    occurred_at: AnalyticsTimestamp,
    completed_at: AnalyticsTimestamp.nullable().default(null),
    performed_by: text(320).default(""),
    recorded_by: text(320).default(""),
    recorded_at: AnalyticsTimestamp,
    link: text(2048).default(""),
    notes: text(16384).default(""),
    ticket_slug: text(128).default(""),
    /** The user's free-form `version` field (a release, a tag). */
    version_label: text(256).default(""),
  })
  .strict();

/** An operations-log row as stored and returned. */
export type OperationRow = z.output<typeof OperationRowSchema>;

/** Filters shared by the list and the metrics of the operations log. `from` inclusive, `to` exclusive. */
export const OperationFilterSchema = z
  .object({
    organization: text(128).optional(),
    project_id: text(128).optional(),
    environment_slug: text(128).optional(),
    entry_type: EntryType.optional(),
    performed_by: text(320).optional(),
    ticket_slug: text(128).optional(),
    /** Substring of the description (case-sensitive). */
    q: text(256).min(1).optional(),
    from: AnalyticsTimestamp.optional(),
    to: AnalyticsTimestamp.optional(),
  })
  .strict();

/** Operations-log list query: filters plus keyset pagination. */
export const OperationQuerySchema = OperationFilterSchema.extend({
  limit: Limit,
  cursor: Cursor.optional(),
}).strict();

/** Input of `operationMetrics`. */
export type OperationFilter = z.input<typeof OperationFilterSchema>;
/** Input of `listOperations`. */
export type OperationQuery = z.input<typeof OperationQuerySchema>;

/** One page of operations-log entries, newest `occurred_at` first. */
export interface OperationPage {
  data: OperationRow[];
  nextCursor: string | null;
}

/** Counts over the whole filter (not just one page). */
export interface OperationMetrics {
  total: number;
  /** Distinct projects. */
  projects: number;
  by_entry_type: Record<string, number>;
  by_environment: Record<string, number>;
}

/** An operations-log row flattened for storage: instants as epoch ms, the flag as 0/1. */
export interface OperationRecord
  extends Omit<OperationRow, "deleted" | "occurred_at" | "completed_at" | "recorded_at"> {
  deleted: number;
  occurred_ms: number;
  completed_ms: number | null;
  recorded_ms: number;
}

/** Flattens a validated row for storage. */
export function toOperationRecord(row: OperationRow): OperationRecord {
  const { occurred_at, completed_at, recorded_at, deleted, ...rest } = row;
  return {
    ...rest,
    deleted: deleted ? 1 : 0,
    occurred_ms: Date.parse(occurred_at),
    completed_ms: completed_at === null ? null : Date.parse(completed_at),
    recorded_ms: Date.parse(recorded_at),
  };
}

/** Rebuilds the row from a stored record (numbers may arrive as strings from ClickHouse). */
export function fromOperationRecord(rec: OperationRecord): OperationRow {
  const { occurred_ms, completed_ms, recorded_ms, deleted, version, ...rest } = rec;
  const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
  return {
    ...rest,
    version: Number(version),
    deleted: Number(deleted) === 1,
    occurred_at: iso(occurred_ms),
    completed_at: completed_ms === null ? null : iso(completed_ms),
    recorded_at: iso(recorded_ms),
  };
}

/** A validated filter with instants as epoch ms. */
export interface ParsedOperationFilter extends Omit<z.output<typeof OperationFilterSchema>, "from" | "to"> {
  fromMs?: number;
  toMs?: number;
}

/** A validated list query. */
export interface ParsedOperationQuery extends ParsedOperationFilter {
  limit: number;
  after?: AuditCursor;
}

function parseWith<S extends z.ZodType>(schema: S, q: unknown): z.output<S> {
  const parsed = schema.safeParse(q);
  if (!parsed.success) throw new AnalyticsQueryError(z.prettifyError(parsed.error));
  return parsed.data;
}

const ms = (t: string | undefined) => (t === undefined ? undefined : Date.parse(t));

/** Validates a metrics filter; throws {@link AnalyticsQueryError}. */
export function parseOperationFilter(q: OperationFilter): ParsedOperationFilter {
  const { from, to, ...rest } = parseWith(OperationFilterSchema, q);
  return { ...rest, fromMs: ms(from), toMs: ms(to) };
}

/** Validates a list query; throws {@link AnalyticsQueryError}. */
export function parseOperationQuery(q: OperationQuery): ParsedOperationQuery {
  const { from, to, limit, cursor, ...rest } = parseWith(OperationQuerySchema, q);
  return {
    ...rest,
    fromMs: ms(from),
    toMs: ms(to),
    limit,
    after: cursor === undefined ? undefined : decodeCursor(cursor),
  };
}

/** Turns `limit + 1` records (newest first) into a page. */
export function toOperationPage(records: OperationRecord[], limit: number): OperationPage {
  const page = records.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    records.length > limit && last ? encodeCursor({ tsMs: Number(last.occurred_ms), id: last.id }) : null;
  return { data: page.map(fromOperationRecord), nextCursor };
}

/** Sums grouped counts `(entry_type, environment_slug, project_id, n)` into metrics. */
export function toOperationMetrics(
  groups: { entry_type: string; environment_slug: string; project_id: string; n: number | string }[],
): OperationMetrics {
  const m: OperationMetrics = { total: 0, projects: 0, by_entry_type: {}, by_environment: {} };
  const projects = new Set<string>();
  for (const g of groups) {
    const n = Number(g.n);
    m.total += n;
    m.by_entry_type[g.entry_type] = (m.by_entry_type[g.entry_type] ?? 0) + n;
    m.by_environment[g.environment_slug] = (m.by_environment[g.environment_slug] ?? 0) + n;
    projects.add(g.project_id);
  }
  m.projects = projects.size;
  return m;
}
