import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getTeamScoreHistory } from "../../../lib/scoring/score_verbs.ts";
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
    "hourly series start 7 days back and daily ones 90 days back. " +
    "Needs project:read in that organization.",
  ...verbAccess(getTeamScoreHistory),
  request: { params: OrgParamSchema, query: TeamHistoryQuerySchema },
  responses: {
    200: { description: "The series", content: { "application/json": { schema: TeamHistorySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await getTeamScoreHistory(ctxOf(c), c.req.valid("query")), 200);
