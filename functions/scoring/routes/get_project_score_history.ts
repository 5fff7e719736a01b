import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getProject } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { HistoryQuerySchema, HistorySchema, ProjectScoreParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectScoreHistory",
  method: "get",
  path: "/organizations/{org}/projects/{id}/score/history",
  tags: ["scoring"],
  summary: "A project's score history",
  description:
    "Every stored score change (`raw`), or hourly/daily UTC buckets with the last, average, lowest and highest " +
    "score, oldest first, from the analytics store (`score_history`). `from` is inclusive, `to` exclusive.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectScoreParamSchema, query: HistoryQuerySchema },
  responses: {
    200: { description: "The history", content: { "application/json": { schema: HistorySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const s = c.get("services");
  const project = await getProject(s.graph, await resolveOrg(s.graph, slug), id);
  const q = c.req.valid("query");
  const data = await analyticsRead(c.get("services").log, () =>
    s.analytics.scoreHistory({ project_id: project.id, ...q }),
  );
  return c.json({ project_id: project.id, granularity: q.granularity, data }, 200);
};
