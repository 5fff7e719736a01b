import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { nextRowVersion, toEntry, toRow } from "../../../lib/oplog/entries.ts";
import { EntryParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteOperationEntry",
  method: "delete",
  path: "/operations-log/{id}",
  tags: ["oplog"],
  summary: "Delete an operations-log entry",
  description:
    "Writes a tombstone version: the entry disappears from reads, and deleting it again is a 404. " +
    "Needs operations_log:delete in its organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:delete"],
  request: { params: EntryParamSchema },
  responses: {
    204: { description: "Deleted" },
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
  await requirePermission(c, "operations_log:delete", row.organization);
  const current = toEntry(row);
  const res = await s.analytics.insert("operations_log", [
    toRow(current, current, nextRowVersion(current.row_version), true),
  ]);
  if (res.err)
    throw new ApiError({
      code: "SERVICE_UNAVAILABLE",
      detail: "The deletion could not be stored (analytics store and outbox unavailable); retry shortly.",
      headers: { "Retry-After": "30" },
    });
  return c.body(null, 204);
};
