// What every release and deployment verb needs first: the project (by id or slug) in the call's
// organization, the organization's environments (ids ↔ slugs), the blocked-release refusal, and
// change events of its entities.

import { nanoid } from "nanoid";
import type { AnalyticsRow } from "../analytics/index.ts";
import { notFound, projectIdOf, projectTeamOf } from "../catalog/projects.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { DomainError } from "../errors.ts";
import { type ChangeEvent, publishEvents } from "../webhooks/events.ts";
import { listBlockers, type ProjectKey, type Release } from "./releases.ts";

/** The project a call acts on: its key, the organization's slug and the owning team's slug. */
export interface ScopedProject extends ProjectKey {
  orgSlug: string;
  /** The owning team's slug (a change event's `team`); null when the project has no team edge. */
  team: string | null;
}

/**
 * The project a call acts on, resolved in the call's organization (404 when absent). Its team comes
 * with the existence check, in the same statement, so change events can carry it for free.
 */
export async function projectKey(ctx: Ctx, project: string): Promise<ScopedProject> {
  const org = orgOf(ctx);
  const { graph } = ctx.services;
  const projectId = await projectIdOf(graph, org, project);
  const found = await projectTeamOf(graph, org.id, projectId);
  if (!found) throw notFound(org, project);
  return { orgId: org.id, orgSlug: org.slug, projectId, team: found.team };
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
  /** The entity after the change (the outbound event's `release`, `deployment` or `release_blocker`). */
  entity: unknown;
}

/**
 * Records the changes of one call, in order: as `events` rows after the response, through the
 * (outboxed) analytics store — the feed reads them like project events —, and as outbound webhook
 * events, queued before the call answers (see publishEvents: a client that waits for the answer
 * before its next change gets its events in order). Never fails the call.
 */
export async function recordChanges(
  ctx: Ctx,
  k: ScopedProject,
  changes: readonly EntityChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const occurred_at = ctx.now().toISOString();
  const rows: AnalyticsRow<"events">[] = changes.flatMap((change) =>
    change.fields.map((f) => ({
      id: `evt_${nanoid()}`,
      occurred_at,
      organization: k.orgSlug,
      entity_type: change.entity_type,
      entity_id: change.entity_id,
      action: change.action,
      field: f.field,
      old_value: JSON.parse(JSON.stringify(f.old ?? null)),
      new_value: JSON.parse(JSON.stringify(f.new ?? null)),
      principal: ctx.actor.id,
      request_id: ctx.requestId,
    })),
  );
  ctx.background(
    ctx.services.analytics.insert("events", rows).then((r) => {
      if (r.err)
        ctx.log.warn("change events write failed", {
          entities: changes.map((c) => c.entity_id),
          error: r.err.message,
        });
    }),
  );
  const events: ChangeEvent[] = changes.map((change) => ({
    orgId: k.orgId,
    organization: k.orgSlug,
    entityType: change.entity_type,
    entityId: change.entity_id,
    action: change.action,
    projectId: k.projectId,
    team: k.team,
    principal: ctx.actor.id,
    occurredAt: occurred_at,
    data: { changes: change.fields, [change.entity_type]: change.entity },
  }));
  await publishEvents(ctx.services, events);
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
