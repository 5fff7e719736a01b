import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { createTeam } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { CreateTeamSchema, OrgParamSchema, TeamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createTeam",
  method: "post",
  path: "/organizations/{org}/teams",
  tags: ["catalog"],
  summary: "Create a team",
  description:
    "Creates a team in the organization; the slug must be unused there (409 otherwise). Needs team:create in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:create"],
  request: {
    params: OrgParamSchema,
    body: {
      description: "The new team",
      required: true,
      content: { "application/json": { schema: CreateTeamSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: TeamSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "team:create", org);
  const s = c.get("services");
  const created = await createTeam(s.graph, await resolveOrg(s.graph, org), c.req.valid("json"));
  s.audit({ event: "team_created", actor: actor.email, organization: org, subject: created.slug });
  c.header("Location", locationOf(c, "organizations", org, "teams", created.slug));
  return c.json(await withEtag(c, created), 201);
};
