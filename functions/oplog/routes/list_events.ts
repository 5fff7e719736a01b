import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listEvents } from "../../../lib/oplog/event_verbs.ts";
import { EventListQuerySchema, EventPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listEvents",
  method: "get",
  path: "/events",
  tags: ["oplog"],
  summary: "List change events",
  description: "The cross-organization change feed, newest first, keyset paginated. Administrators only.",
  ...verbAccess(listEvents),
  request: { query: EventListQuerySchema },
  responses: {
    200: { description: "One page of events", content: { "application/json": { schema: EventPageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listEvents(ctxOf(c), q), q.limit), 200);
};
