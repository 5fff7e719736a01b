import { createRoute } from "@hono/zod-openapi";
import { listCycles } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(listCycles),
  request: { params: OrgParamSchema, query: CyclesQuerySchema },
  responses: {
    200: { description: "The cycles", content: { "application/json": { schema: CyclesSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await listCycles(ctxOf(c), c.req.valid("query")), 200);
};
