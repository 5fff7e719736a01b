import { createRoute } from "@hono/zod-openapi";
import { listTeamProjects } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { PageOnlyQuerySchema, TeamParamSchema, TeamProjectPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listTeamProjects",
  method: "get",
  path: "/organizations/{org}/teams/{team}/projects",
  tags: ["catalog"],
  summary: "List a team's projects",
  description: "Projects the team owns (OWNED_BY), by slug. Needs team:read in that organization.",
  ...verbAccess(listTeamProjects),
  request: { params: TeamParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of the team's projects",
      content: { "application/json": { schema: TeamProjectPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listTeamProjects(ctxOf(c), { ...q, team: c.req.valid("param").team });
  return c.json(linkNext(c, page, q.limit), 200);
};
