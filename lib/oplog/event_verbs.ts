import type { EventQuery, EventRow } from "../analytics/event_log.ts";
import { analyticsRead } from "../analytics/read.ts";
import { projectIdOf } from "../catalog/projects.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import type { Page } from "../pagination.ts";
import { requireProjectInOrg, type TimeRange, timeRange } from "./entries.ts";
import type { PageInput } from "./entry_verbs.ts";

// The change-event feeds, whichever door calls them. Events are written by the writes that change
// entities (lib/oplog/events.ts); these verbs only read them from the analytics store.

/** The filters of a project's feed. */
export type ProjectEventFilter = Pick<EventQuery, "field" | "principal" | "action"> & TimeRange;

/** The filters of the cross-organization feed. */
export type EventFilter = ProjectEventFilter & Pick<EventQuery, "organization" | "entity_type" | "entity_id">;

async function feed(ctx: Ctx, q: EventQuery): Promise<Page<EventRow>> {
  const p = await analyticsRead(ctx.log, () => ctx.services.analytics.listEvents(q));
  return { data: p.data, next_cursor: p.nextCursor };
}

/** Every organization's change events, newest first: a global read (administrators). */
export const listEvents = defineVerb({
  name: "listEvents",
  access: { scope: "global", permission: "admin:events:read" },
  run: (ctx, input: PageInput & EventFilter) => feed(ctx, timeRange(input)),
});

/** One project's change events (the project by id or slug), one row per changed field, newest first. */
export const listProjectEvents = defineVerb({
  name: "listProjectEvents",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: PageInput & ProjectEventFilter & { project: string }) {
    const org = orgOf(ctx);
    const { graph } = ctx.services;
    const { project, ...filter } = input;
    const project_id = await projectIdOf(graph, org, project);
    await requireProjectInOrg(graph, org.id, project_id);
    // Project ids are unique across organizations, so the entity id alone scopes the feed.
    return feed(ctx, { ...timeRange(filter), entity_type: "project", entity_id: project_id });
  },
});
