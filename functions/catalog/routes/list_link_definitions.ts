import { createRoute } from "@hono/zod-openapi";
import { listLinkDefinitions } from "../../../lib/catalog/link_definitions.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { LinkDefinitionPageSchema, OrgParamSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listLinkDefinitions",
  method: "get",
  path: "/organizations/{org}/link-definitions",
  tags: ["catalog"],
  summary: "List link definitions",
  description:
    "Link definitions of the organization by slug: the keys of project links. Needs link_definition:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["link_definition:read"],
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
  const { org } = c.req.valid("param");
  await requirePermission(c, "link_definition:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const { graph } = c.get("services");
  const rows = await listLinkDefinitions(graph, await resolveOrg(graph, org), {
    after: after ? String(after.s) : null,
    limit: q.limit,
  });
  return c.json(
    finishPage(c, rows, q.limit, (x) => ({ s: x.slug })),
    200,
  );
};
