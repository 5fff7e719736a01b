import { createRoute } from "@hono/zod-openapi";
import { updateBlueprint } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { BlueprintParamSchema, BlueprintSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateBlueprint",
  method: "patch",
  path: "/blueprints/{type}/{slug}",
  tags: ["blueprints"],
  summary: "Update a blueprint",
  description:
    "JSON Patch over name, description, filter, priority, enabled and schema (e.g. `/schema/properties/tier`); " +
    "slug, kind, type, source, edge and target are read-only. The patched schema is re-checked. " +
    "Needs blueprint:write globally (an administrator, or a role in the system organization).",
  ...verbAccess(updateBlueprint),
  request: {
    params: BlueprintParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the blueprint's writable fields"),
  },
  responses: {
    200: {
      description: "The updated blueprint",
      content: { "application/json": { schema: BlueprintSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateBlueprint(ctxOf(c), {
    ...c.req.valid("param"),
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
