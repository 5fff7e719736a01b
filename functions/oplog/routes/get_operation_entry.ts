import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { toEntry } from "../../../lib/oplog/entries.ts";
import { EntryParamSchema, OperationEntrySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getOperationEntry",
  method: "get",
  path: "/operations-log/{id}",
  tags: ["oplog"],
  summary: "Get an operations-log entry",
  description: "The latest version of the entry. Needs operations_log:read in its organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:read"],
  request: { params: EntryParamSchema },
  responses: {
    200: { description: "The entry", content: { "application/json": { schema: OperationEntrySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const { id } = c.req.valid("param");
  const row = await analyticsRead(c.get("services").log, () => c.get("services").analytics.getOperation(id));
  if (!row) throw new ApiError({ code: "NOT_FOUND", detail: `No operations-log entry '${id}'.` });
  await requirePermission(c, "operations_log:read", row.organization);
  return c.json(await withEtag(c, toEntry(row)), 200);
};
