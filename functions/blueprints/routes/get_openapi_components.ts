import { createRoute } from "@hono/zod-openapi";
import { getOpenapiComponents } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ComponentsSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getOpenapiComponents",
  method: "get",
  path: "/blueprints/openapi-components",
  tags: ["blueprints"],
  summary: "Blueprint schemas as OpenAPI components",
  description:
    "`<Type>Attributes` for each node label with enabled blueprints (`ProjectAttributes` always) and " +
    "`<source>_<target>_<edge>EdgeProperties` per relationship: all properties of every enabled blueprint, " +
    "`required` only from unfiltered ones; `$defs` are hoisted to sibling components. " +
    "Needs blueprint:read in any organization.",
  ...verbAccess(getOpenapiComponents),
  responses: {
    200: { description: "Component schemas", content: { "application/json": { schema: ComponentsSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await getOpenapiComponents(ctxOf(c), {}), 200);
