import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { deleteTeam } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import { CascadeQuerySchema } from "../../../lib/http/fields.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:delete"],
  request: { params: TeamParamSchema, query: CascadeQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team } = c.req.valid("param");
  const actor = await requirePermission(c, "team:delete", org);
  const s = c.get("services");
  await deleteTeam(s.graph, await resolveOrg(s.graph, org), team, {
    cascade: c.req.valid("query").cascade === "true",
  });
  s.audit({ event: "team_deleted", actor: actor.email, organization: org, subject: team });
  return c.body(null, 204);
};
