import { createRoute } from "@hono/zod-openapi";
import { listProjects } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ListQuerySchema, OrgParamSchema, ProjectListPageSchema } from "../schemas.ts";
import { project } from "../support.ts";

export const route = createRoute({
  operationId: "listProjects",
  method: "get",
  path: "/organizations/{org}/projects",
  tags: ["projects"],
  summary: "List projects",
  description:
    "Keyset-paginated, sorted projects of the organization, filtered by team, type, environment, " +
    "archived state, links, identifiers (`identifier=github:123456` finds the projects an external id " +
    "belongs to) and blueprint attributes (`filter=field:op[:value]`). Unknown " +
    "parameters, fields, operators or uncoercible values are a 400. `sort=score` lists the lowest health " +
    "scores (and unscored projects) first: what needs attention.",
  ...verbAccess(listProjects),
  request: { params: OrgParamSchema, query: ListQuerySchema },
  responses: {
    200: {
      description: "One page of projects",
      content: { "application/json": { schema: ProjectListPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { fields, ...q } = c.req.valid("query");
  const page = linkNext(c, await listProjects(ctxOf(c), q), q.limit);
  return c.json({ ...page, data: page.data.map((p) => project(p, fields)) } as never, 200);
};
