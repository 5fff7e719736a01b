import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getProject } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { scoreTrend } from "../../../lib/scoring/reads.ts";
import { ProjectScoreParamSchema, TrendQuerySchema, TrendSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectScoreTrend",
  method: "get",
  path: "/organizations/{org}/projects/{id}/score/trend",
  tags: ["scoring"],
  summary: "A project's score trend",
  description:
    "The stored score now against the score as of `days` ago (the last change before the window), with the " +
    "delta and its direction.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectScoreParamSchema, query: TrendQuerySchema },
  responses: {
    200: { description: "The trend", content: { "application/json": { schema: TrendSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const s = c.get("services");
  const project = await getProject(s.graph, await resolveOrg(s.graph, slug), id);
  const { days } = c.req.valid("query");
  return c.json(
    await analyticsRead(c.get("services").log, () =>
      scoreTrend(s.analytics, project.id, project.score, days),
    ),
    200,
  );
};
