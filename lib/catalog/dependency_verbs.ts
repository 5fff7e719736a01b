import { type Ctx, orgOf } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { onDependencyChange } from "../scoring/triggers.ts";
import { publishEvents } from "../webhooks/events.ts";
import * as store from "./dependencies.ts";
import { type ProjectFilterInput, projectFiltersOf } from "./project_query.ts";
import { projectIdOf, projectTeamOf } from "./projects.ts";

// The dependency-graph operations, whichever door calls them: `(Project)-[:DEPENDS_ON]->(Project)`
// edges, traversals, paths, cycles and the organization's whole graph. Projects are named by id or
// slug. Adding or removing an edge asks for the rescore and publishes a `dependency` event.
// Storage: ./dependencies.ts.

/**
 * Publishes a dependency edge's creation or removal to the outbound webhooks before the call
 * answers. The event belongs to the source (dependent) project: its id is the ordering key and its
 * team the `team`. Edges removed with a deleted project are covered by that `project.deleted`.
 */
async function publishDependency(
  ctx: Ctx,
  action: "created" | "deleted",
  edge: store.RemovedDependency & { creates_cycle?: boolean },
): Promise<void> {
  const org = orgOf(ctx);
  // The team is a lookup of its own; a failure there costs the team, never the event or the call.
  const owner = await projectTeamOf(ctx.services.graph, org.id, edge.source.id).catch(() => undefined);
  await publishEvents(ctx.services, [
    {
      orgId: org.id,
      organization: org.slug,
      entityType: "dependency",
      entityId: `${edge.source.id}->${edge.target.id}`,
      action,
      projectId: edge.source.id,
      team: owner?.team ?? null,
      principal: ctx.actor.id,
      occurredAt: ctx.now().toISOString(),
      data: { dependency: edge },
    },
  ]);
}

/** A project's direct dependencies (outbound) and dependents (inbound), with their counts. */
export const listRelationships = defineVerb({
  name: "listRelationships",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { id: string }) {
    const { graph } = ctx.services;
    const org = orgOf(ctx);
    const { outbound, inbound } = await store.listRelationships(
      graph,
      org,
      await projectIdOf(graph, org, input.id),
    );
    return { outbound, inbound, counts: { outbound: outbound.length, inbound: inbound.length } };
  },
});

/**
 * Records that `id` depends on `targetId`, idempotently: `created` is false when the edge already
 * existed (then nothing is rescored). A self-dependency or a target outside the organization is a 400.
 */
export const createRelationship = defineVerb({
  name: "createRelationship",
  access: { scope: "organization", permission: "project:write" },
  async run(ctx, input: { id: string; targetId: string }): Promise<store.AddedDependency> {
    const { graph } = ctx.services;
    const org = orgOf(ctx);
    const source = await projectIdOf(graph, org, input.id);
    const target = await projectIdOf(graph, org, input.targetId);
    const added = await store.addDependency(graph, org, source, target);
    if (added.created) {
      onDependencyChange(ctx, source, target);
      const { created: _created, cycle: _cycle, ...edge } = added;
      await publishDependency(ctx, "created", edge);
    }
    return added;
  },
});

/** Removes `id`'s dependency on `targetId`; 404 when there is no such edge. */
export const deleteRelationship = defineVerb({
  name: "deleteRelationship",
  access: { scope: "organization", permission: "project:write" },
  async run(ctx, input: { id: string; targetId: string }): Promise<void> {
    const { graph } = ctx.services;
    const org = orgOf(ctx);
    const source = await projectIdOf(graph, org, input.id);
    const target = await projectIdOf(graph, org, input.targetId);
    const removed = await store.removeDependency(graph, org, source, target);
    onDependencyChange(ctx, source, target);
    await publishDependency(ctx, "deleted", removed);
  },
});

/** The projects within `depth` hops downstream or upstream, each at its minimum depth, and their edges. */
export const getDependencies = defineVerb({
  name: "getDependencies",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { id: string; direction: store.Direction; depth: number }) {
    const { graph } = ctx.services;
    const org = orgOf(ctx);
    const id = await projectIdOf(graph, org, input.id);
    return store.neighbourhood(graph, org, id, input.direction, input.depth);
  },
});

/** Everything reachable downstream or upstream, nearest first, capped with `truncated`. */
export const getDependencyClosure = defineVerb({
  name: "getDependencyClosure",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { id: string; direction: store.Direction }) {
    const { graph } = ctx.services;
    const org = orgOf(ctx);
    return store.closure(graph, org, await projectIdOf(graph, org, input.id), input.direction);
  },
});

/** The shortest DEPENDS_ON path from `from` to `to`; 404 when there is none within the hop limit. */
export const getPath = defineVerb({
  name: "getPath",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { from: string; to: string }) {
    const { graph } = ctx.services;
    const org = orgOf(ctx);
    const path = await store.shortestPath(
      graph,
      org,
      await projectIdOf(graph, org, input.from),
      await projectIdOf(graph, org, input.to),
    );
    if (!path)
      throw new DomainError(
        "NOT_FOUND",
        `Project '${input.from}' does not depend on '${input.to}', directly or within ${store.PATH_MAX_DEPTH} hops.`,
      );
    return path;
  },
});

/** Simple dependency cycles of the organization, each once, up to `limit`. */
export const listCycles = defineVerb({
  name: "listCycles",
  access: { scope: "organization", permission: "project:read" },
  run: (ctx, input: { limit: number }) => store.findCycles(ctx.services.graph, orgOf(ctx), input.limit),
});

/** The organization's projects under the list's filters and the DEPENDS_ON edges among them. */
export const getGraph = defineVerb({
  name: "getGraph",
  access: { scope: "organization", permission: "project:read" },
  run: (ctx, input: ProjectFilterInput & { includeExternal?: boolean }) => {
    const { includeExternal, ...filters } = input;
    return store.organizationGraph(ctx.services.graph, orgOf(ctx), {
      ...projectFiltersOf(filters),
      includeExternal: includeExternal === true,
    });
  },
});
