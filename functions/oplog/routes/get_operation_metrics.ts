import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getOperationMetrics } from "../../../lib/oplog/entry_verbs.ts";
import { OperationMetricsQuerySchema, OperationMetricsSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getOperationMetrics",
  method: "get",
  path: "/operations-log/metrics",
  tags: ["oplog"],
  summary: "Count operations-log entries",
  description:
    "Counts per entry type and environment over the whole filter (the list's filters, without " +
    "paging). Permissions as for the list.",
  ...verbAccess(getOperationMetrics),
  request: { query: OperationMetricsQuerySchema },
  responses: {
    200: { description: "The counts", content: { "application/json": { schema: OperationMetricsSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await getOperationMetrics(ctxOf(c), c.req.valid("query")), 200);
