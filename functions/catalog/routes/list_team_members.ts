import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { listTeamMembers } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { PageOnlyQuerySchema, TeamMemberPageSchema, TeamParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listTeamMembers",
  method: "get",
  path: "/organizations/{org}/teams/{team}/members",
  tags: ["catalog"],
  summary: "List a team's members",
  description: "Users on the team, by email. Needs team:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:read"],
  request: { params: TeamParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of team members",
      content: { "application/json": { schema: TeamMemberPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team } = c.req.valid("param");
  await requirePermission(c, "team:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { e: "string" });
  const { graph } = c.get("services");
  const rows = await listTeamMembers(graph, await resolveOrg(graph, org), team, {
    after: after ? String(after.e) : null,
    limit: q.limit,
  });
  return c.json(
    finishPage(c, rows, q.limit, (m) => ({ e: m.email })),
    200,
  );
};
