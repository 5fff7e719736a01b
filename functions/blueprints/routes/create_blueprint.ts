import { createRoute } from "@hono/zod-openapi";
import { createBlueprint } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { BlueprintSchema, CreateBlueprintSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createBlueprint",
  method: "post",
  path: "/blueprints",
  tags: ["blueprints"],
  summary: "Create a blueprint",
  description:
    "Creates a node blueprint (`type`) or a relationship blueprint (`source`, `edge`, `target`). Slugs are " +
    "unique across all blueprints (409 otherwise). A schema that is not an object schema, defines a core " +
    "field, or cannot be compiled is a 400. " +
    "Needs blueprint:write globally (an administrator, or a role in the system organization).",
  ...verbAccess(createBlueprint),
  request: {
    body: {
      description: "The new blueprint",
      required: true,
      content: { "application/json": { schema: CreateBlueprintSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: BlueprintSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const bp = await createBlueprint(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "blueprints", bp.type ?? "relationship", bp.slug));
  return c.json(await withEtag(c, bp), 201);
};
