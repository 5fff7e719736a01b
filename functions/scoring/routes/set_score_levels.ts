import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { setLevels } from "../../../lib/scoring/levels.ts";
import { LevelsSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "setScoreLevels",
  method: "put",
  path: "/organizations/{org}/scores/levels",
  tags: ["scoring"],
  summary: "Replace the organization's score levels",
  description:
    "Replaces the levels (names and thresholds must be unique; an empty list removes them). Levels are derived " +
    "from scores when read, so no rescoring is needed; history keeps the level that applied at the time.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:update"],
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

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "organization:update", org);
  const s = c.get("services");
  const levels = await setLevels(s.graph, org, c.req.valid("json").levels);
  s.audit({
    event: "score_levels_changed",
    actor: actor.email,
    organization: org,
    details: { levels: levels.map((l) => ({ name: l.name, min_score: l.min_score })) },
  });
  return c.json({ levels }, 200);
};
