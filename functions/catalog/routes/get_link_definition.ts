import { createRoute } from "@hono/zod-openapi";
import { getLinkDefinition } from "../../../lib/catalog/link_definition_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { LinkDefinitionParamSchema, LinkDefinitionSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getLinkDefinition",
  method: "get",
  path: "/organizations/{org}/link-definitions/{link_definition}",
  tags: ["catalog"],
  summary: "Get a link definition",
  description: "Needs link_definition:read in that organization.",
  ...verbAccess(getLinkDefinition),
  request: { params: LinkDefinitionParamSchema },
  responses: {
    200: {
      description: "The link definition",
      content: { "application/json": { schema: LinkDefinitionSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const found = await getLinkDefinition(ctxOf(c), { link_definition: c.req.valid("param").link_definition });
  return c.json(await withEtag(c, found), 200);
};
