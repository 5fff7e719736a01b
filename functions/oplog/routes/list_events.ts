import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/auth/middleware.ts";
import { openApiErrorResponses } from "../../../lib/errors.ts";
import type { AppRouteHandler } from "../../../lib/openapi.ts";
import { EventListQuerySchema, EventPageSchema } from "../schemas.ts";
import { analyticsRead, pageBody, timeRange } from "../support.ts";

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
  const page = await analyticsRead(c, () => c.get("services").analytics.listEvents(timeRange(q)));
  return c.json(pageBody(c, page, q.limit), 200);
};
