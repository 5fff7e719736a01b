import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { removeTeamMember } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { normalizeEmail } from "../../../lib/identity/users.ts";
import { TeamMemberParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "removeTeamMember",
  method: "delete",
  path: "/organizations/{org}/teams/{team}/members/{email}",
  tags: ["catalog"],
  summary: "Remove a user from a team",
  description: "404 when they are not on the team. Needs team:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:update"],
  request: { params: TeamMemberParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team, email: raw } = c.req.valid("param");
  const actor = await requirePermission(c, "team:update", org);
  const s = c.get("services");
  const email = normalizeEmail(raw);
  await removeTeamMember(s.graph, await resolveOrg(s.graph, org), team, email);
  s.audit({
    event: "team_member_removed",
    actor: actor.email,
    organization: org,
    subject: `${team}:${email}`,
  });
  return c.body(null, 204);
};
