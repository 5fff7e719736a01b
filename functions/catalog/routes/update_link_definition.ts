import { createRoute } from "@hono/zod-openapi";
import { updateLinkDefinition } from "../../../lib/catalog/link_definition_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { LinkDefinitionParamSchema, LinkDefinitionSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateLinkDefinition",
  method: "patch",
  path: "/organizations/{org}/link-definitions/{link_definition}",
  tags: ["catalog"],
  summary: "Update a link definition",
  description:
    "JSON Patch over slug, name, description and url_template (a slug change is refused while projects use it). Needs link_definition:write in that organization.",
  ...verbAccess(updateLinkDefinition),
  request: {
    params: LinkDefinitionParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the link definition's writable fields"),
  },
  responses: {
    200: {
      description: "The updated link definition",
      content: { "application/json": { schema: LinkDefinitionSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateLinkDefinition(ctxOf(c), {
    link_definition: c.req.valid("param").link_definition,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
