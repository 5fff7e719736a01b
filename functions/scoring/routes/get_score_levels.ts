import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getLevels } from "../../../lib/scoring/levels.ts";
import { LevelsSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getScoreLevels",
  method: "get",
  path: "/organizations/{org}/scores/levels",
  tags: ["scoring"],
  summary: "The organization's score levels",
  description: "Named score thresholds (e.g. Bronze ≥ 50, Silver ≥ 75, Gold ≥ 90); empty when none are set.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:read"],
  request: { params: OrgParamSchema },
  responses: {
    200: { description: "The levels", content: { "application/json": { schema: LevelsSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  await requirePermission(c, "organization:read", org);
  return c.json({ levels: await getLevels(c.get("services").graph, org) }, 200);
};
