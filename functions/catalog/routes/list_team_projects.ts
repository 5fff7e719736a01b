import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { listTeamProjects } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { PageOnlyQuerySchema, TeamParamSchema, TeamProjectPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listTeamProjects",
  method: "get",
  path: "/organizations/{org}/teams/{team}/projects",
  tags: ["catalog"],
  summary: "List a team's projects",
  description: "Projects the team owns (OWNED_BY), by slug. Needs team:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:read"],
  request: { params: TeamParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of the team's projects",
      content: { "application/json": { schema: TeamProjectPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team } = c.req.valid("param");
  await requirePermission(c, "team:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const { graph } = c.get("services");
  const rows = await listTeamProjects(graph, await resolveOrg(graph, org), team, {
    after: after ? String(after.s) : null,
    limit: q.limit,
  });
  return c.json(
    finishPage(c, rows, q.limit, (p) => ({ s: p.slug })),
    200,
  );
};
