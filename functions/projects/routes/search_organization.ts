import { createRoute } from "@hono/zod-openapi";
import { searchCatalog } from "../../../lib/catalog/project_query.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OrgParamSchema, SearchQuerySchema, SearchResultSchema } from "../schemas.ts";
import { orgRef } from "../support.ts";

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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["search:read"],
  request: { params: OrgParamSchema, query: SearchQuerySchema },
  responses: {
    200: { description: "Hits, best first", content: { "application/json": { schema: SearchResultSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug } = c.req.valid("param");
  await requirePermission(c, "search:read", slug);
  const q = c.req.valid("query");
  const s = c.get("services");
  const org = await orgRef(c, slug);
  const data = await searchCatalog(s.sql, s.graph.graphName, org, {
    q: q.q,
    limit: q.limit,
    includeArchived: q.include_archived === "true",
  });
  return c.json({ data }, 200);
};
