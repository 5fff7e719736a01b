import { createRoute } from "@hono/zod-openapi";
import { nanoid } from "nanoid";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import {
  nextRowVersion,
  projectOrganization,
  requireEnvironment,
  toEntry,
  toRow,
} from "../../../lib/oplog/entries.ts";
import { CreateOperationEntrySchema, OperationEntrySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createOperationEntry",
  method: "post",
  path: "/operations-log",
  tags: ["oplog"],
  summary: "Record an operations-log entry",
  description:
    "Records a change (deploy, restart, migration, …) of a project in one of its organization's " +
    "environments. Needs operations_log:create in the project's organization. Accepted even while " +
    "ClickHouse is down: the entry waits in the outbox and becomes readable once it is back.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:create"],
  request: {
    body: {
      description: "The entry",
      required: true,
      content: { "application/json": { schema: CreateOperationEntrySchema } },
    },
  },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: OperationEntrySchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requireAuth(c);
  const { project_id, ...fields } = c.req.valid("json");
  const s = c.get("services");
  const where = await projectOrganization(s.graph, project_id);
  if (!where)
    throw new ApiError({
      code: "VALIDATION_FAILED",
      detail: `No project '${project_id}'; use the id of an existing project.`,
      errors: [{ location: "json.project_id", message: "unknown project" }],
    });
  await requirePermission(c, "operations_log:create", where.orgSlug);
  await requireEnvironment(s.graph, where.orgId, fields.environment_slug);
  const now = new Date().toISOString();
  const row = toRow(
    {
      id: `ops_${nanoid()}`,
      organization: where.orgSlug,
      project_id,
      recorded_by: actor.email,
      recorded_at: now,
    },
    fields,
    nextRowVersion(),
  );
  // Awaited: the entry is the response. Goes to ClickHouse, or to the outbox while it is down.
  const res = await s.analytics.insert("operations_log", [row]);
  if (res.err) {
    s.log.error("operations-log write failed", { error: res.err.message });
    throw new ApiError({
      code: "SERVICE_UNAVAILABLE",
      detail: "The entry could not be stored (analytics store and outbox unavailable); retry shortly.",
      headers: { "Retry-After": "30" },
    });
  }
  const entry = toEntry(row);
  c.header("Location", locationOf(c, "operations-log", entry.id));
  return c.json(await withEtag(c, entry), 201);
};
