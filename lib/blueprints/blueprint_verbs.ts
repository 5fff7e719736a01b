import { z } from "zod";
import type { EdgeType } from "../../schema/graph/index.ts";
import type { Ctx } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch, unchangedSince } from "../etag.ts";
import { membershipsOf } from "../identity/permissions.ts";
import type { JsonPatch } from "../json_patch.ts";
import { cursorKey, decodeCursor, encodeCursor, type Page, pageFrom } from "../pagination.ts";
import { onBlueprintChange } from "../scoring/triggers.ts";
import * as store from "./blueprints.ts";
import { checkBlueprintSchema } from "./check_schema.ts";
import { blueprintComponents } from "./components.ts";
import {
  type BlueprintFilter,
  effectiveRelationshipSchema,
  effectiveSchema,
  type JsonObjectSchema,
  type NodeType,
} from "./effective.ts";
import { type ImpactReport, orgIdsOf, projectImpact } from "./impact.ts";

// The blueprint operations, whichever door calls them. Blueprints are global configuration
// (ADR 0009): every member reads them (blueprint:read held in any organization); writes need a
// global grant — the `is_admin` flag or a role in the system organization. Storage is
// ./blueprints.ts; a write also queues the projects whose attributes it reshapes for rescoring.

const SLUG = /^[a-z][a-z0-9-]*$/;
const slugList = z.array(z.string().min(1).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$")).max(100);

/** What a patch may change on a blueprint (the schema itself is re-checked by the store). */
export const BlueprintWritable = z
  .object({
    name: z.string().min(1).max(128),
    description: z.string().max(4096),
    filter: z.object({ project_types: slugList.default([]), environments: slugList.default([]) }).strict(),
    priority: z.number().int().min(-1_000_000).max(1_000_000),
    enabled: z.boolean(),
    schema: z.record(z.string(), z.unknown()),
  })
  .meta({ description: "The fields of a blueprint a JSON Patch may change" });

// Identity, shape and timestamps are the server's: a patch touching them is a 400.
const READ_ONLY = ["id", "slug", "kind", "type", "source", "edge", "target", "created_at", "updated_at"];

/** A blueprint's address: its node label (or `relationship`) and slug. */
export interface BlueprintRef {
  type: store.BlueprintTypeKey;
  slug: string;
}

/** A page request: the page size and the cursor of the previous page. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

/** A new blueprint as a door received it; absent fields take their defaults. */
export interface CreateBlueprintInput {
  slug?: string;
  name: string;
  description?: string;
  kind: store.Blueprint["kind"];
  type?: NodeType;
  source?: NodeType;
  edge?: EdgeType;
  target?: NodeType;
  filter?: BlueprintFilter;
  priority?: number;
  enabled?: boolean;
  schema: Record<string, unknown>;
}

const audit = (ctx: Ctx, event: string, subject: string) => ctx.audit({ event, subject });

/** Every blueprint by slug, optionally by kind, target type and enabled flag. */
export const listBlueprints = defineVerb({
  name: "listBlueprints",
  access: { scope: "anywhere", permission: "blueprint:read" },
  async run(
    ctx,
    input: PageInput & { kind?: store.Blueprint["kind"]; type?: store.BlueprintTypeKey; enabled?: boolean },
  ): Promise<Page<store.Blueprint>> {
    const after = cursorKey(decodeCursor(input.cursor), { s: "string" });
    const rows = await store.listBlueprints(ctx.services.graph, {
      after: after ? String(after.s) : null,
      limit: input.limit,
      kind: input.kind,
      type: input.type,
      enabled: input.enabled,
    });
    return pageFrom(rows, input.limit, (b) => ({ s: b.slug }));
  },
});

/** One blueprint by type key and slug. */
export const getBlueprint = defineVerb({
  name: "getBlueprint",
  access: { scope: "anywhere", permission: "blueprint:read" },
  run: (ctx, input: BlueprintRef) => store.getBlueprint(ctx.services.graph, input.type, input.slug),
});

/**
 * Creates a node or relationship blueprint (400 for a bad shape or schema, 409 for a taken slug);
 * the projects it may reshape are queued for rescoring.
 */
export const createBlueprint = defineVerb({
  name: "createBlueprint",
  access: { scope: "global", permission: "blueprint:write" },
  async run(ctx, input: CreateBlueprintInput) {
    const bp = await store.createBlueprint(ctx.services.graph, {
      slug: input.slug ?? store.slugify(input.name),
      name: input.name,
      description: input.description ?? "",
      kind: input.kind,
      type: input.type ?? null,
      source: input.source ?? null,
      edge: input.edge ?? null,
      target: input.target ?? null,
      filter: input.filter ?? { project_types: [], environments: [] },
      priority: input.priority ?? 0,
      enabled: input.enabled ?? true,
      schema: input.schema as JsonObjectSchema,
    });
    audit(ctx, "blueprint_created", bp.slug);
    onBlueprintChange(ctx, [bp]);
    return bp;
  },
});

/**
 * Applies a JSON Patch to a blueprint's writable fields (the patched schema is re-checked). With
 * `ifMatch` the write applies only to that version: 412 when it changed, before or during the write.
 * The projects it shaped before or shapes now are queued for rescoring.
 */
export const updateBlueprint = defineVerb({
  name: "updateBlueprint",
  access: { scope: "global", permission: "blueprint:write" },
  async run(ctx, input: BlueprintRef & { patch: JsonPatch; ifMatch?: string }) {
    const { graph } = ctx.services;
    const current = await store.getBlueprint(graph, input.type, input.slug);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFields(current, input.patch, READ_ONLY, BlueprintWritable);
    const updated = await store.updateBlueprint(
      graph,
      current,
      { ...next, schema: next.schema as JsonObjectSchema },
      unchangedSince(input.ifMatch, current.updated_at),
    );
    audit(ctx, "blueprint_updated", updated.slug);
    onBlueprintChange(ctx, [current, updated]);
    return updated;
  },
});

/**
 * Deletes a blueprint; attribute values stored on entities stay. The projects it shaped are
 * queued for rescoring.
 */
export const deleteBlueprint = defineVerb({
  name: "deleteBlueprint",
  access: { scope: "global", permission: "blueprint:delete" },
  async run(ctx, input: BlueprintRef) {
    const { graph } = ctx.services;
    const before = await store.getBlueprint(graph, input.type, input.slug);
    await store.deleteBlueprint(graph, input.type, input.slug);
    audit(ctx, "blueprint_deleted", input.slug);
    onBlueprintChange(ctx, [before]);
  },
});

/** What an effective schema is resolved for: a node `type`, or an edge's source, edge and target. */
export interface EffectiveSchemaInput {
  type?: NodeType;
  source?: NodeType;
  edge?: EdgeType;
  target?: NodeType;
  projectTypes?: string[];
  environments?: string[];
}

/** The merged schema of every enabled blueprint that applies to a node or an edge in a context. */
export const getEffectiveSchema = defineVerb({
  name: "getEffectiveSchema",
  access: { scope: "anywhere", permission: "blueprint:read" },
  async run(ctx, input: EffectiveSchemaInput): Promise<JsonObjectSchema> {
    const { graph } = ctx.services;
    const context = { projectTypes: input.projectTypes, environments: input.environments };
    const { type, source, edge, target } = input;
    if (type && [source, edge, target].every((x) => x === undefined))
      return effectiveSchema(graph, { type, ...context });
    if (!type && source && edge && target)
      return effectiveRelationshipSchema(graph, { source, edge, target, ...context });
    throw new DomainError("BAD_REQUEST", "Give either `type`, or all of `source`, `edge` and `target`.");
  },
});

/** The blueprints' schemas as OpenAPI component schemas. */
export const getOpenapiComponents = defineVerb({
  name: "getOpenapiComponents",
  access: { scope: "anywhere", permission: "blueprint:read" },
  run: (ctx, _input: Record<string, never>) => blueprintComponents(ctx.services.graph),
});

/**
 * The organizations whose projects an impact scan may show: those where the actor holds
 * project:read (every one for an administrator whose credential is not narrowed). Null: all.
 */
async function readableOrgIds(ctx: Ctx): Promise<string[] | null> {
  const { graph } = ctx.services;
  if (
    ctx.actor.isAdmin &&
    ctx.actor.organizations === null &&
    (await ctx.grants.global()).has("project:read")
  )
    return null;
  if (ctx.actor.kind !== "user") return [];
  const slugs: string[] = [];
  for (const m of await membershipsOf(graph, ctx.actor.id))
    if ((await ctx.grants.in(m.slug)).has("project:read")) slugs.push(m.slug);
  return orgIdsOf(graph, slugs);
}

/** Scans the projects a Project node blueprint applies to against `schema`, one page at a time. */
async function impactOf(
  ctx: Ctx,
  bp: store.Blueprint,
  schema: JsonObjectSchema,
  page: PageInput,
): Promise<ImpactReport> {
  if (bp.kind !== "node" || bp.type !== "Project")
    throw new DomainError("BAD_REQUEST", "Impact reports are computed for Project node blueprints only.");
  const after = cursorKey(decodeCursor(page.cursor), { i: "string" });
  const report = await projectImpact(ctx.services.graph, bp.filter, schema, {
    orgIds: await readableOrgIds(ctx),
    after: after ? String(after.i) : null,
    limit: page.limit,
  });
  return {
    ...report,
    next_cursor: report.next_cursor === null ? null : encodeCursor({ i: report.next_cursor }),
  };
}

/**
 * The projects (in organizations where the actor has project:read) that fail a Project
 * blueprint's current schema; follow `next_cursor` for the rest.
 */
export const getBlueprintImpact = defineVerb({
  name: "getBlueprintImpact",
  access: { scope: "anywhere", permission: "blueprint:read" },
  async run(ctx, input: BlueprintRef & PageInput) {
    const bp = await store.getBlueprint(ctx.services.graph, input.type, input.slug);
    return impactOf(ctx, bp, bp.schema, input);
  },
});

/** Like {@link getBlueprintImpact} with a proposed schema (checked like a create); nothing is saved. */
export const checkBlueprintImpact = defineVerb({
  name: "checkBlueprintImpact",
  access: { scope: "anywhere", permission: "blueprint:read" },
  async run(ctx, input: BlueprintRef & PageInput & { schema: unknown }) {
    const bp = await store.getBlueprint(ctx.services.graph, input.type, input.slug);
    return impactOf(ctx, bp, checkBlueprintSchema(input.schema), input);
  },
});
