import { createRoute } from "@hono/zod-openapi";
import { getBlueprint } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { BlueprintParamSchema, BlueprintSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getBlueprint",
  method: "get",
  path: "/blueprints/{type}/{slug}",
  tags: ["blueprints"],
  summary: "Get a blueprint",
  description:
    "`type` is the target label, or `relationship` for edge blueprints. " +
    "Needs blueprint:read in any organization.",
  ...verbAccess(getBlueprint),
  request: { params: BlueprintParamSchema },
  responses: {
    200: { description: "The blueprint", content: { "application/json": { schema: BlueprintSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await withEtag(c, await getBlueprint(ctxOf(c), c.req.valid("param"))), 200);
