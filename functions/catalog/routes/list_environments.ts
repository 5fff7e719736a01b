import { createRoute } from "@hono/zod-openapi";
import { listEnvironments } from "../../../lib/catalog/environment_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { EnvironmentPageSchema, OrgParamSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listEnvironments",
  method: "get",
  path: "/organizations/{org}/environments",
  tags: ["catalog"],
  summary: "List environments",
  description:
    "Environments of the organization ordered by sort_order, then slug. Needs environment:read in that organization.",
  ...verbAccess(listEnvironments),
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of environments",
      content: { "application/json": { schema: EnvironmentPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listEnvironments(ctxOf(c), q), q.limit), 200);
};
