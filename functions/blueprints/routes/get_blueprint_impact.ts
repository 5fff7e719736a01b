import { createRoute } from "@hono/zod-openapi";
import { getBlueprint } from "../../../lib/blueprints/blueprints.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { BlueprintParamSchema, ImpactQuerySchema, ImpactSchema } from "../schemas.ts";
import { impactFor } from "../support.ts";

export const route = createRoute({
  operationId: "getBlueprintImpact",
  method: "get",
  path: "/blueprints/{type}/{slug}/impact",
  tags: ["blueprints"],
  summary: "Projects failing a blueprint",
  description:
    "Checks the existing projects this Project blueprint applies to (in the organizations where the caller " +
    "has project:read; all for administrators) against its current schema, and lists those that fail. " +
    "At most `limit` failures and 2,000 projects per call; follow `next_cursor` for the rest.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:read"],
  request: { params: BlueprintParamSchema, query: ImpactQuerySchema },
  responses: {
    200: { description: "The impact report", content: { "application/json": { schema: ImpactSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const { type, slug } = c.req.valid("param");
  const bp = await getBlueprint(c.get("services").graph, type, slug);
  return c.json(await impactFor(c, bp, bp.schema, c.req.valid("query")), 200);
};
