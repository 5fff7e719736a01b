import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { EventListQuerySchema, EventPageSchema } from "../schemas.ts";
import { pageBody, timeRange } from "../support.ts";

export const route = createRoute({
  operationId: "listEvents",
  method: "get",
  path: "/events",
  tags: ["oplog"],
  summary: "List change events",
  description: "The cross-organization change feed, newest first, keyset paginated. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["admin:events:read"],
  request: { query: EventListQuerySchema },
  responses: {
    200: { description: "One page of events", content: { "application/json": { schema: EventPageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requirePermission(c, "admin:events:read");
  const q = c.req.valid("query");
  const page = await analyticsRead(c.get("services").log, () =>
    c.get("services").analytics.listEvents(timeRange(q)),
  );
  return c.json(pageBody(c, page, q.limit), 200);
};
