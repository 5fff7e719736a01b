import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { setScoreLevels } from "../../../lib/scoring/level_verbs.ts";
import { LevelsSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "setScoreLevels",
  method: "put",
  path: "/organizations/{org}/scores/levels",
  tags: ["scoring"],
  summary: "Replace the organization's score levels",
  description:
    "Replaces the levels (names and thresholds must be unique; an empty list removes them). Levels are derived " +
    "from scores when read, so no rescoring is needed; history keeps the level that applied at the time. " +
    "Needs organization:update in that organization.",
  ...verbAccess(setScoreLevels),
  request: {
    params: OrgParamSchema,
    body: {
      description: "The levels",
      required: true,
      content: { "application/json": { schema: LevelsSchema } },
    },
  },
  responses: {
    200: {
      description: "The stored levels, ascending",
      content: { "application/json": { schema: LevelsSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await setScoreLevels(ctxOf(c), c.req.valid("json")), 200);
