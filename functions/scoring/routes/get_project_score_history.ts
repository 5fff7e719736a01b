import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getProjectScoreHistory } from "../../../lib/scoring/score_verbs.ts";
import { HistoryQuerySchema, HistorySchema, ProjectScoreParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectScoreHistory",
  method: "get",
  path: "/organizations/{org}/projects/{id}/score/history",
  tags: ["scoring"],
  summary: "A project's score history",
  description:
    "Every stored score change (`raw`), or hourly/daily UTC buckets with the last, average, lowest and highest " +
    "score, oldest first, from the analytics store (`score_history`). `from` is inclusive, `to` exclusive. " +
    "Needs project:read in that organization.",
  ...verbAccess(getProjectScoreHistory),
  request: { params: ProjectScoreParamSchema, query: HistoryQuerySchema },
  responses: {
    200: { description: "The history", content: { "application/json": { schema: HistorySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const history = await getProjectScoreHistory(ctxOf(c), {
    project: c.req.valid("param").id,
    ...c.req.valid("query"),
  });
  return c.json(history, 200);
};
