import { createRoute } from "@hono/zod-openapi";
import { updateTeam } from "../../../lib/catalog/team_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { TeamParamSchema, TeamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateTeam",
  method: "patch",
  path: "/organizations/{org}/teams/{team}",
  tags: ["catalog"],
  summary: "Update a team",
  description:
    "JSON Patch over slug, name, description and the blueprint attributes (re-validated against the Team blueprints; a removed attribute is deleted). Needs team:update in that organization.",
  ...verbAccess(updateTeam),
  request: {
    params: TeamParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the team's writable fields"),
  },
  responses: {
    200: { description: "The updated team", content: { "application/json": { schema: TeamSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateTeam(ctxOf(c), {
    team: c.req.valid("param").team,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
