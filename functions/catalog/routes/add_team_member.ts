import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { addTeamMember } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { normalizeEmail } from "../../../lib/identity/users.ts";
import { AddTeamMemberSchema, TeamMemberSchema, TeamParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "addTeamMember",
  method: "post",
  path: "/organizations/{org}/teams/{team}/members",
  tags: ["catalog"],
  summary: "Add a user to a team",
  description:
    "The user must exist and be a member of the organization (400 otherwise); already on the team → 409. " +
    "Needs team:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:update"],
  request: {
    params: TeamParamSchema,
    body: {
      description: "Who to add",
      required: true,
      content: { "application/json": { schema: AddTeamMemberSchema } },
    },
  },
  responses: {
    201: { description: "Added", content: { "application/json": { schema: TeamMemberSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team } = c.req.valid("param");
  const actor = await requirePermission(c, "team:update", org);
  const s = c.get("services");
  const email = normalizeEmail(c.req.valid("json").email);
  const member = await addTeamMember(s.graph, await resolveOrg(s.graph, org), team, email);
  s.audit({ event: "team_member_added", actor: actor.email, organization: org, subject: `${team}:${email}` });
  c.header("Location", locationOf(c, "organizations", org, "teams", team, "members", email));
  return c.json(member, 201);
};
