import { createRoute } from "@hono/zod-openapi";
import { updateEnvironment } from "../../../lib/catalog/environment_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { EnvironmentParamSchema, EnvironmentSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateEnvironment",
  method: "patch",
  path: "/organizations/{org}/environments/{environment}",
  tags: ["catalog"],
  summary: "Update an environment",
  description:
    "JSON Patch over slug, name, description, sort_order, label_color, can_deploy, can_promote and the blueprint attributes (re-validated against the Environment blueprints; a removed attribute is deleted). Needs environment:update in that organization.",
  ...verbAccess(updateEnvironment),
  request: {
    params: EnvironmentParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the environment's writable fields"),
  },
  responses: {
    200: {
      description: "The updated environment",
      content: { "application/json": { schema: EnvironmentSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateEnvironment(ctxOf(c), {
    environment: c.req.valid("param").environment,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
