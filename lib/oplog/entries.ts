import type { OperationRow } from "../analytics/operations.ts";
import { DomainError } from "../errors.ts";
import type { Graph } from "../graph/graph.ts";

/** An operations-log entry as the API shows it (`version` is the user's label). */
export interface OperationEntry {
  id: string;
  organization: string;
  project_id: string;
  environment_slug: string;
  entry_type: OperationRow["entry_type"];
  description: string;
  occurred_at: string;
  completed_at: string | null;
  performed_by: string | null;
  recorded_by: string;
  recorded_at: string;
  link: string | null;
  notes: string | null;
  ticket_slug: string | null;
  version: string | null;
  row_version: number;
}

/** The fields of an entry a client may set (create) or patch. */
export type EntryWritable = Pick<OperationEntry, "environment_slug" | "entry_type" | "description"> &
  Partial<
    Pick<
      OperationEntry,
      "occurred_at" | "completed_at" | "performed_by" | "link" | "notes" | "ticket_slug" | "version"
    >
  >;

const orNull = (s: string) => (s === "" ? null : s);
// What the store keeps: UTC with milliseconds, so a create's response equals a later read.
const iso = (t: string) => new Date(t).toISOString();

/** Maps a stored row to the API shape (empty text columns become null). */
export function toEntry(row: OperationRow): OperationEntry {
  return {
    id: row.id,
    organization: row.organization,
    project_id: row.project_id,
    environment_slug: row.environment_slug,
    entry_type: row.entry_type,
    description: row.description,
    occurred_at: row.occurred_at,
    completed_at: row.completed_at,
    performed_by: orNull(row.performed_by),
    recorded_by: row.recorded_by,
    recorded_at: row.recorded_at,
    link: orNull(row.link),
    notes: orNull(row.notes),
    ticket_slug: orNull(row.ticket_slug),
    version: orNull(row.version_label),
    row_version: row.version,
  };
}

/** Builds the row to store for `entry` with the writable fields `w` applied. */
export function toRow(
  entry: Pick<OperationEntry, "id" | "organization" | "project_id" | "recorded_by" | "recorded_at">,
  w: EntryWritable,
  version: number,
  deleted = false,
): OperationRow {
  return {
    id: entry.id,
    version,
    deleted,
    organization: entry.organization,
    project_id: entry.project_id,
    environment_slug: w.environment_slug,
    entry_type: w.entry_type,
    description: w.description,
    occurred_at: iso(w.occurred_at ?? entry.recorded_at),
    completed_at: w.completed_at ? iso(w.completed_at) : null,
    performed_by: w.performed_by ?? "",
    recorded_by: entry.recorded_by,
    recorded_at: entry.recorded_at,
    link: w.link ?? "",
    notes: w.notes ?? "",
    ticket_slug: w.ticket_slug ?? "",
    version_label: w.version ?? "",
  };
}

/**
 * The next row version of an entry: the millisecond clock, but always above the current version
 * so a clock step backwards can never hide an update.
 */
export const nextRowVersion = (current = 0) => Math.max(Date.now(), current + 1);

/** Where a project lives: its organization's id and slug; `undefined` when there is no such project. */
export async function projectOrganization(
  graph: Graph,
  projectId: string,
): Promise<{ orgId: string; orgSlug: string } | undefined> {
  const row = await graph.one<{ id: string; slug: string }>(
    "MATCH (p:Project)-[:BELONGS_TO]->(o:Organization) WHERE p.id = $id AND o.id = p.org_id RETURN o.id, o.slug",
    { id: projectId },
    ["id", "slug"],
  );
  return row ? { orgId: row.id, orgSlug: row.slug } : undefined;
}

/** Throws 400 unless the organization has an environment with this slug. */
export async function requireEnvironment(graph: Graph, orgId: string, slug: string): Promise<void> {
  const row = await graph.one(
    "MATCH (e:Environment) WHERE e.org_id = $org AND e.slug = $slug RETURN e.id",
    { org: orgId, slug },
    ["id"],
  );
  if (!row)
    throw new DomainError(
      "VALIDATION_FAILED",
      `The organization has no environment '${slug}'; use the slug of one of its environments.`,
      [{ location: "body.environment_slug", message: `unknown environment '${slug}'` }],
    );
}

/** Throws 404 unless the project exists in the organization. */
export async function requireProjectInOrg(graph: Graph, orgId: string, projectId: string): Promise<void> {
  const row = await graph.one("MATCH (p:Project) WHERE p.id = $id AND p.org_id = $org RETURN p.id", {
    id: projectId,
    org: orgId,
  });
  if (!row) throw new DomainError("NOT_FOUND", `No project '${projectId}' in this organization.`);
}

/** The API's half-open time window: `since` inclusive, `until` exclusive (ISO 8601 instants). */
export interface TimeRange {
  since?: string;
  until?: string;
}

/** Renames the API's `since`/`until` to the analytics store's half-open `from`/`to`. */
export function timeRange<Q extends TimeRange>(
  q: Q,
): Omit<Q, "since" | "until"> & { from?: string; to?: string } {
  const { since, until, ...rest } = q;
  return { ...rest, from: since, to: until };
}
