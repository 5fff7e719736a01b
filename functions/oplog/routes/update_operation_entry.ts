import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { patchFields } from "../../../lib/core/patch.ts";
import { checkIfMatch } from "../../../lib/etag.ts";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import {
  nextRowVersion,
  projectOrganization,
  requireEnvironment,
  toEntry,
  toRow,
} from "../../../lib/oplog/entries.ts";
import { EntryParamSchema, OperationEntrySchema, OperationEntryWritableSchema } from "../schemas.ts";

const READ_ONLY = ["id", "organization", "project_id", "recorded_by", "recorded_at", "row_version"] as const;

export const route = createRoute({
  operationId: "updateOperationEntry",
  method: "patch",
  path: "/operations-log/{id}",
  tags: ["oplog"],
  summary: "Update an operations-log entry",
  description:
    "JSON Patch over the entry's writable fields; writes a new version of the entry (the old one is " +
    "kept until ClickHouse merges it away). id, organization, project_id, recorded_by, recorded_at and " +
    "row_version are read-only. Needs operations_log:update in its organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:update"],
  request: {
    params: EntryParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the entry's writable fields"),
  },
  responses: {
    200: {
      description: "The updated entry",
      content: { "application/json": { schema: OperationEntrySchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const { id } = c.req.valid("param");
  const s = c.get("services");
  const row = await analyticsRead(c.get("services").log, () => s.analytics.getOperation(id));
  if (!row) throw new ApiError({ code: "NOT_FOUND", detail: `No operations-log entry '${id}'.` });
  await requirePermission(c, "operations_log:update", row.organization);
  const current = toEntry(row);
  await checkIfMatch(c.req.valid("header")["if-match"], current);
  const next = patchFields(current, c.req.valid("json"), READ_ONLY, OperationEntryWritableSchema);
  if (next.environment_slug !== current.environment_slug) {
    const where = await projectOrganization(s.graph, current.project_id);
    if (!where) throw new ApiError({ code: "CONFLICT", detail: "The entry's project no longer exists." });
    await requireEnvironment(s.graph, where.orgId, next.environment_slug);
  }
  const updated = toRow(current, next, nextRowVersion(current.row_version));
  const res = await s.analytics.insert("operations_log", [updated]);
  if (res.err)
    throw new ApiError({
      code: "SERVICE_UNAVAILABLE",
      detail: "The change could not be stored (analytics store and outbox unavailable); retry shortly.",
      headers: { "Retry-After": "30" },
    });
  return c.json(await withEtag(c, toEntry(updated)), 200);
};
