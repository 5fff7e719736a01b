import { createRoute } from "@hono/zod-openapi";
import { listTeams } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ListTeamsQuerySchema, OrgParamSchema, TeamPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listTeams",
  method: "get",
  path: "/organizations/{org}/teams",
  tags: ["catalog"],
  summary: "List teams",
  description:
    "Teams of the organization by slug; `q` filters by name. Needs team:read in that organization.",
  ...verbAccess(listTeams),
  request: { params: OrgParamSchema, query: ListTeamsQuerySchema },
  responses: {
    200: {
      description: "One page of teams",
      content: { "application/json": { schema: TeamPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listTeams(ctxOf(c), q), q.limit), 200);
};
