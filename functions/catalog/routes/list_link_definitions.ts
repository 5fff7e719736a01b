import { createRoute } from "@hono/zod-openapi";
import { listLinkDefinitions } from "../../../lib/catalog/link_definition_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { LinkDefinitionPageSchema, OrgParamSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listLinkDefinitions",
  method: "get",
  path: "/organizations/{org}/link-definitions",
  tags: ["catalog"],
  summary: "List link definitions",
  description:
    "Link definitions of the organization by slug: the keys of project links. Needs link_definition:read in that organization.",
  ...verbAccess(listLinkDefinitions),
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of link definitions",
      content: { "application/json": { schema: LinkDefinitionPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listLinkDefinitions(ctxOf(c), q), q.limit), 200);
};
