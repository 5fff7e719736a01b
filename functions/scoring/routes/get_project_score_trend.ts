import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getProjectScoreTrend } from "../../../lib/scoring/score_verbs.ts";
import { ProjectScoreParamSchema, TrendQuerySchema, TrendSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectScoreTrend",
  method: "get",
  path: "/organizations/{org}/projects/{id}/score/trend",
  tags: ["scoring"],
  summary: "A project's score trend",
  description:
    "The stored score now against the score as of `days` ago (the last change before the window), with the " +
    "delta and its direction. " +
    "Needs project:read in that organization.",
  ...verbAccess(getProjectScoreTrend),
  request: { params: ProjectScoreParamSchema, query: TrendQuerySchema },
  responses: {
    200: { description: "The trend", content: { "application/json": { schema: TrendSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const trend = await getProjectScoreTrend(ctxOf(c), {
    project: c.req.valid("param").id,
    days: c.req.valid("query").days,
  });
  return c.json(trend, 200);
};
