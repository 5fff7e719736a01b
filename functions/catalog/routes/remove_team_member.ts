import { createRoute } from "@hono/zod-openapi";
import { removeTeamMember } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { TeamMemberParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "removeTeamMember",
  method: "delete",
  path: "/organizations/{org}/teams/{team}/members/{email}",
  tags: ["catalog"],
  summary: "Remove a user from a team",
  description: "404 when they are not on the team. Needs team:update in that organization.",
  ...verbAccess(removeTeamMember),
  request: { params: TeamMemberParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await removeTeamMember(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
