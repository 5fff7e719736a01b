import { createRoute } from "@hono/zod-openapi";
import { searchOrganization } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OrgParamSchema, SearchQuerySchema, SearchResultSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "searchOrganization",
  method: "get",
  path: "/organizations/{org}/search",
  tags: ["projects"],
  summary: "Search the organization's catalog",
  description:
    "Ranked hits across the organization's projects, teams and project types over names, slugs, " +
    "descriptions and string attributes (full text with prefix matching plus trigram similarity), with " +
    "<mark> highlights. Archived projects are excluded unless include_archived=true.",
  ...verbAccess(searchOrganization),
  request: { params: OrgParamSchema, query: SearchQuerySchema },
  responses: {
    200: { description: "Hits, best first", content: { "application/json": { schema: SearchResultSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const result = await searchOrganization(ctxOf(c), {
    q: q.q,
    limit: q.limit,
    includeArchived: q.include_archived === "true",
  });
  return c.json(result, 200);
};
