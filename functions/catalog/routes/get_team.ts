import { createRoute } from "@hono/zod-openapi";
import { getTeam } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { TeamParamSchema, TeamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getTeam",
  method: "get",
  path: "/organizations/{org}/teams/{team}",
  tags: ["catalog"],
  summary: "Get a team",
  description: "Needs team:read in that organization.",
  ...verbAccess(getTeam),
  request: { params: TeamParamSchema },
  responses: {
    200: { description: "The team", content: { "application/json": { schema: TeamSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const team = await getTeam(ctxOf(c), { team: c.req.valid("param").team });
  return c.json(await withEtag(c, team), 200);
};
