import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getScoreRollup } from "../../../lib/scoring/score_verbs.ts";
import { OrgParamSchema, RollupQuerySchema, RollupSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getScoreRollup",
  method: "get",
  path: "/organizations/{org}/scores/rollup",
  tags: ["scoring"],
  summary: "Current scores by team or project type",
  description:
    "For each team (or project type) of the organization: how many projects, how many are scored, the " +
    "average, lowest and highest stored score and how many projects reach each level. Archived projects are " +
    "left out; the worst average comes first — what needs attention. " +
    "Needs project:read in that organization.",
  ...verbAccess(getScoreRollup),
  request: { params: OrgParamSchema, query: RollupQuerySchema },
  responses: {
    200: { description: "The rollup", content: { "application/json": { schema: RollupSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await getScoreRollup(ctxOf(c), c.req.valid("query")), 200);
