import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getProjectScore } from "../../../lib/scoring/score_verbs.ts";
import { ProjectScoreParamSchema, ProjectScoreSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectScore",
  method: "get",
  path: "/organizations/{org}/projects/{id}/score",
  tags: ["scoring"],
  summary: "Get a project's score and its breakdown",
  description:
    "Computes the score now from the live policies, blueprints and neighbours (with the contribution of each " +
    "policy and the level), next to the score the consumer last stored. " +
    "Needs project:read in that organization.",
  ...verbAccess(getProjectScore),
  request: { params: ProjectScoreParamSchema },
  responses: {
    200: { description: "The score", content: { "application/json": { schema: ProjectScoreSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await getProjectScore(ctxOf(c), { project: c.req.valid("param").id }), 200);
