import { createRoute } from "@hono/zod-openapi";
import { blueprintComponents } from "../../../lib/blueprints/components.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
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
    "`required` only from unfiltered ones; `$defs` are hoisted to sibling components.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:read"],
  responses: {
    200: { description: "Component schemas", content: { "application/json": { schema: ComponentsSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  return c.json(await blueprintComponents(c.get("services").graph), 200);
};
