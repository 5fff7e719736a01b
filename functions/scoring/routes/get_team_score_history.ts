import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OrgParamSchema, TeamHistoryQuerySchema, TeamHistorySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getTeamScoreHistory",
  method: "get",
  path: "/organizations/{org}/scores/history-by-team",
  tags: ["scoring"],
  summary: "Score history by team",
  description:
    "Per hourly or daily UTC bucket and team: the average over the team's projects of each project's last " +
    "score in the bucket (teams as recorded with each score), from the analytics store. Without `from`, " +
    "hourly series start 7 days back and daily ones 90 days back.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: TeamHistoryQuerySchema },
  responses: {
    200: { description: "The series", content: { "application/json": { schema: TeamHistorySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const s = c.get("services");
  const org = await resolveOrg(s.graph, slug);
  const q = c.req.valid("query");
  // Unbounded series get large: without `from`, hourly looks back 7 days and daily 90.
  const from =
    q.from ?? new Date(Date.now() - (q.granularity === "hour" ? 7 : 90) * 86_400_000).toISOString();
  const data = await analyticsRead(c.get("services").log, () =>
    s.analytics.teamScoreHistory({ org_id: org.id, ...q, from }),
  );
  return c.json({ granularity: q.granularity, data }, 200);
};
