import { createRoute } from "@hono/zod-openapi";
import { listTeamMembers } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { PageOnlyQuerySchema, TeamMemberPageSchema, TeamParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listTeamMembers",
  method: "get",
  path: "/organizations/{org}/teams/{team}/members",
  tags: ["catalog"],
  summary: "List a team's members",
  description: "Users on the team, by email. Needs team:read in that organization.",
  ...verbAccess(listTeamMembers),
  request: { params: TeamParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of team members",
      content: { "application/json": { schema: TeamMemberPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listTeamMembers(ctxOf(c), { ...q, team: c.req.valid("param").team });
  return c.json(linkNext(c, page, q.limit), 200);
};
