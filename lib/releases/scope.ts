// What every release and deployment verb needs first: the project (by id or slug) in the call's
// organization, the organization's environments (ids ↔ slugs), the blocked-release refusal, and
// change events of its entities.

import { nanoid } from "nanoid";
import type { AnalyticsRow } from "../analytics/index.ts";
import { projectIdOf } from "../catalog/projects.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { DomainError } from "../errors.ts";
import { requireProjectInOrg } from "../oplog/entries.ts";
import { listBlockers, type ProjectKey, type Release } from "./releases.ts";

/** The project a call acts on, resolved in the call's organization (404 when absent). */
export async function projectKey(ctx: Ctx, project: string): Promise<ProjectKey & { orgSlug: string }> {
  const org = orgOf(ctx);
  const { graph } = ctx.services;
  const projectId = await projectIdOf(graph, org, project);
  await requireProjectInOrg(graph, org.id, projectId);
  return { orgId: org.id, orgSlug: org.slug, projectId };
}

/**
 * 409 listing the open blockers of a release, when it has any; `doing` names what they refuse
 * ("deploying", "publishing"). Each blocker is an `errors` entry, so a client can show them all.
 */
export async function refuseIfBlocked(ctx: Ctx, release: Release, doing: string): Promise<void> {
  if (release.open_blockers === 0) return;
  const open = await listBlockers(ctx.services.db, release.id, { after: null, limit: 50, openOnly: true });
  throw new DomainError(
    "CONFLICT",
    `Release '${release.version}' is blocked by ${release.open_blockers} open blocker(s): ` +
      `${open.map((b) => b.reason).join("; ")}. Resolve them (POST …/blockers/{id}/resolve) before ${doing}.`,
    open.map((b) => ({ location: `blockers.${b.id}`, message: b.reason })),
  );
}

/** An organization's environments, both ways. */
export interface Environments {
  slugOf(id: string): string | null;
  /** The id of an environment slug; a 400 naming `location` when the organization has none. */
  idOf(slug: string, location: string): string;
  /** Environment slugs in display order (sort_order, slug). */
  readonly ordered: { id: string; slug: string }[];
}

/** Loads the organization's environments (one statement). */
export async function environmentsOf(ctx: Ctx, orgId: string): Promise<Environments> {
  const rows = await ctx.services.graph.query<{ id: string; slug: string; sort_order: number }>(
    "MATCH (e:Environment) WHERE e.org_id = $org RETURN e.id, e.slug, e.sort_order",
    { org: orgId },
    ["id", "slug", "sort_order"],
  );
  const ordered = rows
    .map((r) => ({ id: String(r.id), slug: String(r.slug), order: Number(r.sort_order ?? 0) }))
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  const byId = new Map(ordered.map((e) => [e.id, e.slug]));
  const bySlug = new Map(ordered.map((e) => [e.slug, e.id]));
  return {
    ordered: ordered.map(({ id, slug }) => ({ id, slug })),
    slugOf: (id) => byId.get(id) ?? null,
    idOf(slug, location) {
      const id = bySlug.get(slug);
      if (id) return id;
      throw new DomainError(
        "VALIDATION_FAILED",
        `The organization has no environment '${slug}'; use the slug of one of its environments (GET …/environments).`,
        [{ location, message: `unknown environment '${slug}'` }],
      );
    },
  };
}

/** One change of a release, blocker or deployment, for the organization's event feed. */
export interface EntityChange {
  entity_type: "release" | "release_blocker" | "deployment";
  entity_id: string;
  action: "created" | "updated" | "deleted";
  /** Changed top-level fields (`*` with the whole entity for a creation). */
  fields: { field: string; old: unknown; new: unknown }[];
}

/**
 * Records change events after the response, through the (outboxed) analytics store; never fails
 * the call. The feed and the outbound webhooks read them like project events.
 */
export function recordChange(ctx: Ctx, orgSlug: string, change: EntityChange): void {
  const occurred_at = ctx.now().toISOString();
  const rows: AnalyticsRow<"events">[] = change.fields.map((f) => ({
    id: `evt_${nanoid()}`,
    occurred_at,
    organization: orgSlug,
    entity_type: change.entity_type,
    entity_id: change.entity_id,
    action: change.action,
    field: f.field,
    old_value: JSON.parse(JSON.stringify(f.old ?? null)),
    new_value: JSON.parse(JSON.stringify(f.new ?? null)),
    principal: ctx.actor.id,
    request_id: ctx.requestId,
  }));
  ctx.background(
    ctx.services.analytics.insert("events", rows).then((r) => {
      if (r.err)
        ctx.log.warn("change events write failed", { entity: change.entity_id, error: r.err.message });
    }),
  );
}

/** The keyset position of a newest-first list: the creation instant and the id. */
export function timeKey(cursor: Record<string, string | number> | null): { t: string; i: string } | null {
  if (!cursor) return null;
  const { t, i } = cursor;
  if (typeof t !== "string" || typeof i !== "string" || Number.isNaN(Date.parse(t)))
    throw new DomainError(
      "BAD_REQUEST",
      "The cursor is invalid; use next_cursor from a previous page unchanged.",
      [{ location: "query.cursor", message: "not a cursor this server issued" }],
    );
  return { t, i };
}
