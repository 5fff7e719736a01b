import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getScoreLevels } from "../../../lib/scoring/level_verbs.ts";
import { LevelsSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getScoreLevels",
  method: "get",
  path: "/organizations/{org}/scores/levels",
  tags: ["scoring"],
  summary: "The organization's score levels",
  description:
    "Named score thresholds (e.g. Bronze ≥ 50, Silver ≥ 75, Gold ≥ 90); empty when none are set. " +
    "Needs organization:read in that organization.",
  ...verbAccess(getScoreLevels),
  request: { params: OrgParamSchema },
  responses: {
    200: { description: "The levels", content: { "application/json": { schema: LevelsSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await getScoreLevels(ctxOf(c), {}), 200);
