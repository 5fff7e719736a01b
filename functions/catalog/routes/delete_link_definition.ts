import { createRoute } from "@hono/zod-openapi";
import { deleteLinkDefinition } from "../../../lib/catalog/link_definition_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { LinkDefinitionParamSchema, NoQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteLinkDefinition",
  method: "delete",
  path: "/organizations/{org}/link-definitions/{link_definition}",
  tags: ["catalog"],
  summary: "Delete a link definition",
  description:
    "Deletes the link definition. 409 while any project of the organization has a link under its slug; remove those links first. Needs link_definition:delete in that organization.",
  ...verbAccess(deleteLinkDefinition),
  request: { params: LinkDefinitionParamSchema, query: NoQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteLinkDefinition(ctxOf(c), { link_definition: c.req.valid("param").link_definition });
  return c.body(null, 204);
};
