import { createRoute } from "@hono/zod-openapi";
import { organizationGraph } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { GraphQuerySchema, OrgGraphSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getGraph",
  method: "get",
  path: "/organizations/{org}/graph",
  tags: ["graph"],
  summary: "An organization's whole project dependency graph",
  description:
    "Every project matching the filters and the DEPENDS_ON edges among them (with include_external, also " +
    "edges to other projects, which are flagged external), for visualisation. Needs project:read.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: GraphQuerySchema },
  responses: {
    200: { description: "The graph", content: { "application/json": { schema: OrgGraphSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const q = c.req.valid("query");
  await requirePermission(c, "project:read", org);
  const { graph } = c.get("services");
  const { include_external, filter, ...rest } = q;
  const filters = {
    ...rest,
    filter: filter === undefined ? [] : [filter].flat(),
    includeExternal: include_external,
  };
  return c.json(await organizationGraph(graph, await resolveOrg(graph, org), filters), 200);
};
