import { effectiveSchema, type JsonObjectSchema } from "../blueprints/effective.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import { decodeCursor, type Page, pageFrom } from "../pagination.ts";
import { type ProjectScore, projectScore } from "../scoring/reads.ts";
import { neighboursToRescore } from "../scoring/triggers.ts";
import { type EnvironmentChange, mergeEnvironment, patchProject, recordChange } from "./project_change.ts";
import * as query from "./project_query.ts";
import * as store from "./project_write.ts";
import * as projects from "./projects.ts";

// The project operations, whichever door calls them (HTTP routes, MCP tools, webhook actions, CLI).
// Each declares its access once, in the organization it acts in. Writes record the change as events
// and ask for the rescore (./project_change.ts). Storage: ./projects.ts (reads by id or slug),
// ./project_write.ts (writes), ./project_query.ts (list, facets, search).

type Project = projects.Project;

/** A new project: the core fields, and blueprint attributes as extra keys. */
export interface CreateProjectInput {
  name: string;
  slug: string;
  team: string;
  project_types: string[];
  description?: string;
  environments?: Project["environments"];
  links?: Project["links"];
  identifiers?: Project["identifiers"];
  [attribute: string]: unknown;
}

/** A project as read, with its live score breakdown when asked for. */
export interface ProjectRead {
  project: Project;
  score_breakdown?: ProjectScore;
}

/** Creates a project (defaults applied, attributes validated against its types' blueprints); 409 on a taken slug. */
export const createProject = defineVerb({
  name: "createProject",
  access: { scope: "organization", permission: "project:create" },
  async run(ctx, input: CreateProjectInput): Promise<Project> {
    const created = await store.createProject(ctx.services.graph, orgOf(ctx), {
      ...input,
      description: input.description ?? "",
      environments: input.environments ?? {},
      links: input.links ?? {},
      identifiers: input.identifiers ?? {},
    });
    await recordChange(ctx, "created", null, created);
    return created;
  },
});

/** One project by id or slug; `breakdown` adds its score computed now from the live policies. */
export const getProject = defineVerb({
  name: "getProject",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { id: string; breakdown?: boolean }): Promise<ProjectRead> {
    const org = orgOf(ctx);
    const project = await projects.getProject(ctx.services.graph, org, input.id);
    if (!input.breakdown) return { project };
    return { project, score_breakdown: await projectScore(ctx.services.graph, org, project.id) };
  },
});

/** One keyset page of the organization's projects under the list's filters, in `sort` order. */
export const listProjects = defineVerb({
  name: "listProjects",
  access: { scope: "organization", permission: "project:read" },
  async run(
    ctx,
    input: query.ProjectFilterInput & { sort?: query.ProjectSort; limit: number; cursor?: string },
  ): Promise<Page<Project>> {
    const sort = input.sort ?? "slug";
    const raw = decodeCursor(input.cursor);
    // A cursor of another sort order would resume at a meaningless position.
    if (raw && (raw.s !== sort || typeof raw.k !== "string" || typeof raw.i !== "string"))
      throw new DomainError(
        "BAD_REQUEST",
        "The cursor is invalid; use next_cursor from a previous page unchanged.",
      );
    const { sort: _s, limit, cursor: _c, ...filters } = input;
    const rows = await query.listProjects(ctx.services.graph, orgOf(ctx), query.projectFiltersOf(filters), {
      sort,
      limit,
      after: raw ? { k: String(raw.k), i: String(raw.i) } : null,
    });
    const key = query.SORTS[sort][0];
    return pageFrom(rows, limit, (p) => ({ s: sort, k: String(p[key] ?? -1), i: p.id }));
  },
});

/** Counts the organization's projects per value of `field` under the list's filters. */
export const listProjectFacets = defineVerb({
  name: "listProjectFacets",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: query.ProjectFilterInput & { field: string }) {
    const { field, ...filters } = input;
    const data = await query.projectFacets(
      ctx.services.graph,
      orgOf(ctx),
      query.projectFiltersOf(filters),
      field,
    );
    return { field, data };
  },
});

/** Ranked hits across the organization's projects, teams and project types. */
export const searchOrganization = defineVerb({
  name: "searchOrganization",
  access: { scope: "organization", permission: "search:read" },
  async run(ctx, input: { q: string; limit: number; includeArchived?: boolean }) {
    const { sql, graph } = ctx.services;
    const data = await query.searchCatalog(sql, graph.graphName, orgOf(ctx), {
      q: input.q,
      limit: input.limit,
      includeArchived: input.includeArchived === true,
    });
    return { data };
  },
});

/**
 * Loads the project a conditional write acts on: with `ifMatch` (an ETag of the project) the write
 * goes on only from that version (412 otherwise), and the returned guard keeps it to that version.
 */
async function loadForWrite(ctx: Ctx, id: string, ifMatch: string | undefined) {
  const current = await projects.getProject(ctx.services.graph, orgOf(ctx), id);
  await checkIfMatch(ifMatch, projects.etagBasis(current));
  return { current, guard: unchangedSince(ifMatch, current.updated_at) };
}

/** Applies a JSON Patch to the project document; attributes are re-validated against the new types. */
export const updateProject = defineVerb({
  name: "updateProject",
  access: { scope: "organization", permission: "project:write" },
  async run(ctx, input: { id: string; patch: JsonPatch; ifMatch?: string }): Promise<Project> {
    const { current, guard } = await loadForWrite(ctx, input.id, input.ifMatch);
    const next = patchProject(current, input.patch);
    const updated = await store.updateProject(ctx.services.graph, orgOf(ctx), current, next, guard);
    await recordChange(ctx, "updated", current, updated);
    return updated;
  },
});

/** Changes one DEPLOYED_IN edge's properties, creating the edge when the project is not deployed there. */
export const updateProjectEnvironment = defineVerb({
  name: "updateProjectEnvironment",
  access: { scope: "organization", permission: "project:write" },
  async run(
    ctx,
    input: { id: string; env: string; change: EnvironmentChange; ifMatch?: string },
  ): Promise<Project> {
    const { current, guard } = await loadForWrite(ctx, input.id, input.ifMatch);
    const props = mergeEnvironment(current.environments[input.env] ?? {}, input.change);
    const graph = ctx.services.graph;
    const updated = await store.setEnvironment(graph, orgOf(ctx), current, input.env, props, guard);
    await recordChange(ctx, "updated", current, updated);
    return updated;
  },
});

/** Deletes the project and every edge touching it; its dependency neighbours rescore. */
export const deleteProject = defineVerb({
  name: "deleteProject",
  access: { scope: "organization", permission: "project:delete" },
  async run(ctx, input: { id: string; ifMatch?: string }): Promise<void> {
    const { current, guard } = await loadForWrite(ctx, input.id, input.ifMatch);
    const { graph } = ctx.services;
    // Looked up before the edges go: projects whose relationship conditions counted this one.
    const neighbours = await neighboursToRescore(graph, current.id);
    await store.deleteProject(graph, orgOf(ctx), current.id, guard);
    ctx.rescore(neighbours, "dependency_change");
    await recordChange(ctx, "deleted", current, null);
  },
});

async function setArchived(ctx: Ctx, id: string, archived: boolean): Promise<Project> {
  const { graph } = ctx.services;
  const before = await projects.getProject(graph, orgOf(ctx), id);
  const after = await store.setArchived(graph, orgOf(ctx), before.id, archived);
  await recordChange(ctx, "updated", before, after);
  return after;
}

/** Archives the project (hidden from default lists); idempotent. */
export const archiveProject = defineVerb({
  name: "archiveProject",
  access: { scope: "organization", permission: "project:write" },
  run: (ctx, input: { id: string }) => setArchived(ctx, input.id, true),
});

/** Unarchives the project (back in default lists); idempotent. */
export const unarchiveProject = defineVerb({
  name: "unarchiveProject",
  access: { scope: "organization", permission: "project:write" },
  run: (ctx, input: { id: string }) => setArchived(ctx, input.id, false),
});

/** The merged JSON Schema of the blueprints that apply to the project's types and environments. */
export const getProjectSchema = defineVerb({
  name: "getProjectSchema",
  access: { scope: "organization", permission: "project:read" },
  async run(ctx, input: { id: string }): Promise<JsonObjectSchema> {
    const { graph } = ctx.services;
    const p = await projects.getProject(graph, orgOf(ctx), input.id);
    return effectiveSchema(graph, {
      type: "Project",
      projectTypes: p.project_types,
      environments: Object.keys(p.environments),
    });
  },
});
