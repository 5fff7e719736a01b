import { nanoid } from "nanoid";
import type { AnalyticsRow } from "../analytics/index.ts";
import type { Services } from "../services.ts";

/** The change of one project, as the projects module reports it. */
export interface ProjectChange {
  /** Organization slug. */
  org: string;
  projectId: string;
  action: "created" | "updated" | "deleted";
  /** The project before the change (`null` when created). */
  before: Record<string, unknown> | null;
  /** The project after the change (`null` when deleted). */
  after: Record<string, unknown> | null;
  /** Who made the change (email or service-account id). */
  principal: string;
}

// Bookkeeping fields that change on every write; an event for them would only be noise.
// The score is written by the score consumer, not by the change being recorded.
const IGNORED_ON_UPDATE = new Set(["updated_at", "created_at", "score"]);

/** Structural equality of JSON-like values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** A value as stored in an event: JSON-safe (undefined → null, Dates → ISO strings). */
const jsonSafe = (v: unknown): AnalyticsRow<"events">["old_value"] =>
  v === undefined ? null : JSON.parse(JSON.stringify(v));

/**
 * The `{field, old, new}` triples of a change, one per top-level field: every non-null field of a
 * created project, every changed field of an update (deep comparison; `updated_at` is ignored),
 * and one `*` row holding the whole project for a delete.
 */
export function diffProject(
  change: Pick<ProjectChange, "action" | "before" | "after">,
): { field: string; old: unknown; new: unknown }[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  if (change.action === "deleted") return [{ field: "*", old: change.before, new: null }];
  if (change.action === "created")
    return Object.entries(after)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([field, v]) => ({ field, old: null, new: v }));
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields]
    .filter((f) => !IGNORED_ON_UPDATE.has(f) && !jsonEqual(before[f] ?? null, after[f] ?? null))
    .sort()
    .map((field) => ({ field, old: before[field] ?? null, new: after[field] ?? null }));
}

/**
 * Records a project change as `events` rows (one per changed top-level field, see
 * {@link diffProject}) in the background through `s.background` (waited for before the request's
 * connections close, so a fallback write to the outbox never meets a closed client), via the (outboxed)
 * analytics store. Never throws and never delays the response; a failed write is logged.
 */
export async function recordProjectEvents(s: Services, e: ProjectChange): Promise<void> {
  const occurred_at = new Date().toISOString();
  const rows: AnalyticsRow<"events">[] = diffProject(e).map((d) => ({
    id: `evt_${nanoid()}`,
    occurred_at,
    organization: e.org,
    entity_type: "project",
    entity_id: e.projectId,
    action: e.action,
    field: d.field,
    old_value: jsonSafe(d.old),
    new_value: jsonSafe(d.new),
    principal: e.principal,
    request_id: s.requestId ?? "",
  }));
  if (rows.length === 0) return;
  s.background(
    s.analytics.insert("events", rows).then((r) => {
      if (r.err) s.log.warn("project events write failed", { projectId: e.projectId, error: r.err.message });
    }),
  );
}
