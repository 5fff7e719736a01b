import { createRoute } from "@hono/zod-openapi";
import { listEnvironments } from "../../../lib/catalog/environments.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { EnvironmentPageSchema, OrgParamSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listEnvironments",
  method: "get",
  path: "/organizations/{org}/environments",
  tags: ["catalog"],
  summary: "List environments",
  description:
    "Environments of the organization ordered by sort_order, then slug. Needs environment:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["environment:read"],
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of environments",
      content: { "application/json": { schema: EnvironmentPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  await requirePermission(c, "environment:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { o: "number", s: "string" });
  const { graph } = c.get("services");
  const rows = await listEnvironments(graph, await resolveOrg(graph, org), {
    after: after ? { sort_order: Number(after.o), slug: String(after.s) } : null,
    limit: q.limit,
  });
  return c.json(
    finishPage(c, rows, q.limit, (e) => ({ o: e.sort_order, s: e.slug })),
    200,
  );
};
