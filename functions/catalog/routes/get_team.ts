import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getTeam } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:read"],
  request: { params: TeamParamSchema },
  responses: {
    200: { description: "The team", content: { "application/json": { schema: TeamSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team } = c.req.valid("param");
  await requirePermission(c, "team:read", org);
  const { graph } = c.get("services");
  return c.json(await withEtag(c, await getTeam(graph, await resolveOrg(graph, org), team)), 200);
};
