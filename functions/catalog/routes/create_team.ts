import { createRoute } from "@hono/zod-openapi";
import { createTeam } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(createTeam),
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
  const created = await createTeam(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "organizations", c.req.valid("param").org, "teams", created.slug));
  return c.json(await withEtag(c, created), 201);
};
