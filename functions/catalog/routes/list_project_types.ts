import { createRoute } from "@hono/zod-openapi";
import { listProjectTypes } from "../../../lib/catalog/project_type_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OrgParamSchema, PageOnlyQuerySchema, ProjectTypePageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listProjectTypes",
  method: "get",
  path: "/organizations/{org}/project-types",
  tags: ["catalog"],
  summary: "List project types",
  description: "Project types of the organization by slug. Needs project_type:read in that organization.",
  ...verbAccess(listProjectTypes),
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of project types",
      content: { "application/json": { schema: ProjectTypePageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listProjectTypes(ctxOf(c), q), q.limit), 200);
};
