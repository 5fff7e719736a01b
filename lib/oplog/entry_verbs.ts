import { nanoid } from "nanoid";
import { z } from "zod";
import { ENTRY_TYPES, type OperationFilter, type OperationRow } from "../analytics/operations.ts";
import { analyticsRead } from "../analytics/read.ts";
import { projectIdOf } from "../catalog/projects.ts";
import { type Ctx, orgOf } from "../core/ctx.ts";
import { patchFields } from "../core/patch.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { checkIfMatch } from "../etag.ts";
import type { JsonPatch } from "../json_patch.ts";
import type { Page } from "../pagination.ts";
import { publishEvents } from "../webhooks/events.ts";
import * as store from "./entries.ts";

// The operations-log operations, whichever door calls them (HTTP routes, MCP tools, webhook
// actions such as a CI pipeline recording its deploys, CLI). Entries live in the analytics store
// (ClickHouse); their organization is the project's. Under /operations-log/{id} and in POST
// /operations-log no organization is named by the caller: it comes from the data (the entry's, or
// the project's), so those verbs decide with `auth` once they know it.

const SLUG = /^[a-z][a-z0-9-]*$/;
// Instants the analytics stores keep (ADR 0003); the same rule and words as the API's `instant`.
const instant = z.iso.datetime({ offset: true }).refine((s) => {
  const t = Date.parse(s);
  return t >= 0 && t < Date.UTC(2100, 0, 1);
}, "must be between 1970-01-01 and 2100-01-01");
const optText = (max: number) => z.string().min(1).max(max).nullable().optional();

/** What a patch may change on an entry (the API's create body has the same rules). */
export const OperationEntryWritable = z
  .object({
    environment_slug: z.string().min(2).max(63).regex(SLUG, "must match ^[a-z][a-z0-9-]*$"),
    entry_type: z.enum(ENTRY_TYPES),
    description: z.string().min(1).max(4096),
    occurred_at: instant.optional(),
    completed_at: instant.nullable().optional(),
    performed_by: optText(320),
    link: z.url().max(2048).nullable().optional(),
    notes: optText(16384),
    ticket_slug: optText(128),
    version: optText(256),
  })
  .meta({ description: "The fields of an operations-log entry a JSON Patch may change" });

// Who recorded an entry, when, for which project, and its row version are the server's.
const READ_ONLY = ["id", "organization", "project_id", "recorded_by", "recorded_at", "row_version"] as const;

/** A list page request: the page size and the cursor of the previous page. */
export interface PageInput {
  limit: number;
  cursor?: string;
}

/** The filters of the list and the metrics (`organization` apart: it decides the permission). */
export type EntryFilter = Omit<OperationFilter, "organization" | "from" | "to"> & store.TimeRange;

const READ = "operations_log:read";

const notFound = (id: string) => new DomainError("NOT_FOUND", `No operations-log entry '${id}'.`);
const unavailable = (what: string) =>
  new DomainError(
    "SERVICE_UNAVAILABLE",
    `${what} could not be stored (analytics store and outbox unavailable); retry shortly.`,
    undefined,
    { "Retry-After": "30" },
  );

/** Loads the latest version of an entry (404 when it never existed or was deleted). */
async function currentRow(ctx: Ctx, id: string): Promise<OperationRow> {
  const row = await analyticsRead(ctx.log, () => ctx.services.analytics.getOperation(id));
  if (!row) throw notFound(id);
  return row;
}

/**
 * Publishes an entry's change to the outbound webhooks of its project's organization (the verbs
 * here, and the entry a finished deployment writes).
 */
export async function publishEntry(
  ctx: Ctx,
  action: "created" | "updated" | "deleted",
  entry: store.OperationEntry,
  where?: { orgId: string; orgSlug: string; team?: string | null },
): Promise<void> {
  // The entry is stored already: a failed lookup costs the event (logged), never the call.
  const org =
    where ??
    (await store.projectOrganization(ctx.services.graph, entry.project_id).catch((e: unknown) => {
      ctx.log.warn("operations-log webhook event dropped", {
        error: e instanceof Error ? e.message : String(e),
      });
      return undefined;
    }));
  if (!org) return;
  await publishEvents(ctx.services, [
    {
      orgId: org.orgId,
      organization: org.orgSlug,
      entityType: "operations_log",
      entityId: entry.id,
      action,
      projectId: entry.project_id,
      team: where?.team ?? null,
      principal: ctx.actor.id,
      occurredAt: ctx.now().toISOString(),
      data: { entry },
    },
  ]);
}

/** Stores a version of an entry: in ClickHouse, or in the outbox while it is down. */
async function write(ctx: Ctx, row: OperationRow, what: string): Promise<void> {
  const res = await ctx.services.analytics.insert("operations_log", [row]);
  if (res.err) {
    ctx.log.error("operations-log write failed", { error: res.err.message });
    throw unavailable(what);
  }
}

const page = (p: { data: OperationRow[]; nextCursor: string | null }): Page<store.OperationEntry> => ({
  data: p.data.map(store.toEntry),
  next_cursor: p.nextCursor,
});

/** Entries newest first; with `organization` in that organization, without it in every one (global). */
export const listOperationEntries = defineVerb({
  name: "listOperationEntries",
  access: {
    scope: "custom",
    permissions: [READ],
    rule: "operations_log:read in the organization named by `organization`; without it, globally",
  },
  async run(ctx, input: PageInput & EntryFilter & { organization?: string }, auth) {
    await auth.require(READ, input.organization ?? null);
    return page(
      await analyticsRead(ctx.log, () => ctx.services.analytics.listOperations(store.timeRange(input))),
    );
  },
});

/** Counts per entry type and environment over the whole filter; permissions as for the list. */
export const getOperationMetrics = defineVerb({
  name: "getOperationMetrics",
  access: {
    scope: "custom",
    permissions: [READ],
    rule: "operations_log:read in the organization named by `organization`; without it, globally",
  },
  async run(ctx, input: EntryFilter & { organization?: string }, auth) {
    await auth.require(READ, input.organization ?? null);
    return analyticsRead(ctx.log, () => ctx.services.analytics.operationMetrics(store.timeRange(input)));
  },
});

/** One project's entries (the project by id or slug), newest first. */
export const listProjectOperationEntries = defineVerb({
  name: "listProjectOperationEntries",
  access: { scope: "organization", permission: READ },
  async run(ctx, input: PageInput & Omit<EntryFilter, "project_id"> & { project: string }) {
    const org = orgOf(ctx);
    const { graph, analytics } = ctx.services;
    const { project, ...filter } = input;
    const project_id = await projectIdOf(graph, org, project);
    await store.requireProjectInOrg(graph, org.id, project_id);
    return page(
      await analyticsRead(ctx.log, () =>
        analytics.listOperations({ ...store.timeRange(filter), organization: org.slug, project_id }),
      ),
    );
  },
});

/** The latest version of one entry. */
export const getOperationEntry = defineVerb({
  name: "getOperationEntry",
  access: { scope: "custom", permissions: [READ], rule: "operations_log:read in the entry's organization" },
  async run(ctx, input: { id: string }, auth) {
    const row = await currentRow(ctx, input.id);
    await auth.require(READ, row.organization);
    return store.toEntry(row);
  },
});

/**
 * Records an entry for a project in one of its organization's environments. Accepted while the
 * analytics store is down (it waits in the outbox); 503 only when the outbox cannot take it either.
 */
export const createOperationEntry = defineVerb({
  name: "createOperationEntry",
  access: {
    scope: "custom",
    permissions: ["operations_log:create"],
    rule: "operations_log:create in the project's organization",
  },
  async run(ctx, input: { project_id: string } & store.EntryWritable, auth) {
    const { project_id, ...fields } = input;
    const { graph } = ctx.services;
    const where = await store.projectOrganization(graph, project_id);
    if (!where)
      throw new DomainError(
        "VALIDATION_FAILED",
        `No project '${project_id}'; use the id of an existing project.`,
        [{ location: "json.project_id", message: "unknown project" }],
      );
    await auth.require("operations_log:create", where.orgSlug);
    await store.requireEnvironment(graph, where.orgId, fields.environment_slug);
    const row = store.toRow(
      {
        id: `ops_${nanoid()}`,
        organization: where.orgSlug,
        project_id,
        recorded_by: ctx.actor.id,
        recorded_at: ctx.now().toISOString(),
      },
      fields,
      store.nextRowVersion(),
    );
    await write(ctx, row, "The entry");
    await publishEntry(ctx, "created", store.toEntry(row), where);
    return store.toEntry(row);
  },
});

/**
 * Applies a JSON Patch to an entry's writable fields by writing a new version of it. With `ifMatch`
 * (an ETag of the entry) it applies only to that version (412 otherwise).
 */
export const updateOperationEntry = defineVerb({
  name: "updateOperationEntry",
  access: {
    scope: "custom",
    permissions: ["operations_log:update"],
    rule: "operations_log:update in the entry's organization",
  },
  async run(ctx, input: { id: string; patch: JsonPatch; ifMatch?: string }, auth) {
    const row = await currentRow(ctx, input.id);
    await auth.require("operations_log:update", row.organization);
    const current = store.toEntry(row);
    await checkIfMatch(input.ifMatch, current);
    const next = patchFields(current, input.patch, READ_ONLY, OperationEntryWritable);
    if (next.environment_slug !== current.environment_slug) {
      const where = await store.projectOrganization(ctx.services.graph, current.project_id);
      if (!where) throw new DomainError("CONFLICT", "The entry's project no longer exists.");
      await store.requireEnvironment(ctx.services.graph, where.orgId, next.environment_slug);
    }
    const updated = store.toRow(current, next, store.nextRowVersion(current.row_version));
    await write(ctx, updated, "The change");
    await publishEntry(ctx, "updated", store.toEntry(updated));
    return store.toEntry(updated);
  },
});

/** Deletes an entry by writing a tombstone version: it disappears from reads (404 afterwards). */
export const deleteOperationEntry = defineVerb({
  name: "deleteOperationEntry",
  access: {
    scope: "custom",
    permissions: ["operations_log:delete"],
    rule: "operations_log:delete in the entry's organization",
  },
  async run(ctx, input: { id: string }, auth) {
    const row = await currentRow(ctx, input.id);
    await auth.require("operations_log:delete", row.organization);
    const current = store.toEntry(row);
    await write(
      ctx,
      store.toRow(current, current, store.nextRowVersion(current.row_version), true),
      "The deletion",
    );
    await publishEntry(ctx, "deleted", current);
  },
});
