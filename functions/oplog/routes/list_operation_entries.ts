import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { toEntry } from "../../../lib/oplog/entries.ts";
import { OperationEntryPageSchema, OperationListQuerySchema } from "../schemas.ts";
import { pageBody, timeRange } from "../support.ts";

export const route = createRoute({
  operationId: "listOperationEntries",
  method: "get",
  path: "/operations-log",
  tags: ["oplog"],
  summary: "List operations-log entries",
  description:
    "Newest first, keyset paginated. With `organization`, needs operations_log:read there; " +
    "without, lists every organization and needs an administrator.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:read"],
  request: { query: OperationListQuerySchema },
  responses: {
    200: {
      description: "One page of entries",
      content: { "application/json": { schema: OperationEntryPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  await requirePermission(c, "operations_log:read", q.organization);
  const page = await analyticsRead(c.get("services").log, () =>
    c.get("services").analytics.listOperations(timeRange(q)),
  );
  return c.json(pageBody(c, { data: page.data.map(toEntry), nextCursor: page.nextCursor }, q.limit), 200);
};
