import { createRoute } from "@hono/zod-openapi";
import { deleteTeam } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { CascadeQuerySchema } from "../../../lib/http/fields.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { TeamParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteTeam",
  method: "delete",
  path: "/organizations/{org}/teams/{team}",
  tags: ["catalog"],
  summary: "Delete a team",
  description:
    "Deletes the team and its memberships. 409 while it owns projects, unless `cascade=true`, which deletes those projects (with all their edges) in the same transaction. Needs team:delete in that organization.",
  ...verbAccess(deleteTeam),
  request: { params: TeamParamSchema, query: CascadeQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteTeam(ctxOf(c), {
    team: c.req.valid("param").team,
    cascade: c.req.valid("query").cascade === "true",
  });
  return c.body(null, 204);
};
