import { createRoute } from "@hono/zod-openapi";
import { findCycles } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { CyclesQuerySchema, CyclesSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listCycles",
  method: "get",
  path: "/organizations/{org}/graph/cycles",
  tags: ["graph"],
  summary: "Dependency cycles in an organization",
  description:
    "Simple DEPENDS_ON cycles, each once whatever project it is entered at, up to `limit`. Needs project:read.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: CyclesQuerySchema },
  responses: {
    200: { description: "The cycles", content: { "application/json": { schema: CyclesSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const { limit } = c.req.valid("query");
  await requirePermission(c, "project:read", org);
  const { graph } = c.get("services");
  return c.json(await findCycles(graph, await resolveOrg(graph, org), limit), 200);
};
