import { createRoute } from "@hono/zod-openapi";
import { projectFacets } from "../../../lib/catalog/project_query.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { FacetListSchema, FacetQuerySchema, OrgParamSchema } from "../schemas.ts";
import { orgRef } from "../support.ts";

export const route = createRoute({
  operationId: "listProjectFacets",
  method: "get",
  path: "/organizations/{org}/projects/facets",
  tags: ["projects"],
  summary: "Count projects per value of a field",
  description:
    "Counts for team, project_type, environment, archived or a blueprint attribute, under the list's filters.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: FacetQuerySchema },
  responses: {
    200: {
      description: "Value counts, most frequent first",
      content: { "application/json": { schema: FacetListSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const { field, filter, ...rest } = c.req.valid("query");
  const org = await orgRef(c, slug);
  const data = await projectFacets(
    c.get("services").graph,
    org,
    { ...rest, filter: filter === undefined ? [] : [filter].flat() },
    field,
  );
  return c.json({ field, data }, 200);
};
