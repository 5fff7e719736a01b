import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listProjectEvents } from "../../../lib/oplog/event_verbs.ts";
import { EventPageSchema, ProjectEventListQuerySchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listProjectEvents",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/events",
  tags: ["oplog"],
  summary: "List a project's change events",
  description:
    "One row per changed field, newest first, keyset paginated. Needs project:read in the organization.",
  ...verbAccess(listProjectEvents),
  request: { params: ProjectParamSchema, query: ProjectEventListQuerySchema },
  responses: {
    200: { description: "One page of events", content: { "application/json": { schema: EventPageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listProjectEvents(ctxOf(c), { ...q, project: c.req.valid("param").project_id });
  return c.json(linkNext(c, page, q.limit), 200);
};
