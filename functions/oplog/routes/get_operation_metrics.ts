import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OperationMetricsQuerySchema, OperationMetricsSchema } from "../schemas.ts";
import { timeRange } from "../support.ts";

export const route = createRoute({
  operationId: "getOperationMetrics",
  method: "get",
  path: "/operations-log/metrics",
  tags: ["oplog"],
  summary: "Count operations-log entries",
  description:
    "Counts per entry type and environment over the whole filter (the list's filters, without " +
    "paging). Permissions as for the list.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:read"],
  request: { query: OperationMetricsQuerySchema },
  responses: {
    200: { description: "The counts", content: { "application/json": { schema: OperationMetricsSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  await requirePermission(c, "operations_log:read", q.organization);
  return c.json(
    await analyticsRead(c.get("services").log, () =>
      c.get("services").analytics.operationMetrics(timeRange(q)),
    ),
    200,
  );
};
