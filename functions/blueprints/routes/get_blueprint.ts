import { createRoute } from "@hono/zod-openapi";
import { getBlueprint } from "../../../lib/blueprints/blueprints.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { BlueprintParamSchema, BlueprintSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getBlueprint",
  method: "get",
  path: "/blueprints/{type}/{slug}",
  tags: ["blueprints"],
  summary: "Get a blueprint",
  description: "`type` is the target label, or `relationship` for edge blueprints. Any authenticated user.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:read"],
  request: { params: BlueprintParamSchema },
  responses: {
    200: { description: "The blueprint", content: { "application/json": { schema: BlueprintSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const { type, slug } = c.req.valid("param");
  return c.json(await withEtag(c, await getBlueprint(c.get("services").graph, type, slug)), 200);
};
