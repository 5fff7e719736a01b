import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { listTeams } from "../../../lib/catalog/teams.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { ListTeamsQuerySchema, OrgParamSchema, TeamPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listTeams",
  method: "get",
  path: "/organizations/{org}/teams",
  tags: ["catalog"],
  summary: "List teams",
  description:
    "Teams of the organization by slug; `q` filters by name. Needs team:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:read"],
  request: { params: OrgParamSchema, query: ListTeamsQuerySchema },
  responses: {
    200: {
      description: "One page of teams",
      content: { "application/json": { schema: TeamPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  await requirePermission(c, "team:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const { graph } = c.get("services");
  const rows = await listTeams(graph, await resolveOrg(graph, org), {
    after: after ? String(after.s) : null,
    limit: q.limit,
    q: q.q,
  });
  return c.json(
    finishPage(c, rows, q.limit, (x) => ({ s: x.slug })),
    200,
  );
};
