import { createRoute } from "@hono/zod-openapi";
import { addTeamMember } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
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
  ...verbAccess(addTeamMember),
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
  const member = await addTeamMember(ctxOf(c), { team, email: c.req.valid("json").email });
  c.header("Location", locationOf(c, "organizations", org, "teams", team, "members", member.email));
  return c.json(member, 201);
};
