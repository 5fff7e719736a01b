import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { listPolicies } from "../../../lib/scoring/policies.ts";
import { ListPoliciesQuerySchema, PolicyPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listScoringPolicies",
  method: "get",
  path: "/scoring/policies",
  tags: ["scoring"],
  summary: "List scoring policies",
  description:
    "Every scoring policy by slug, optionally by category, enabled flag and attribute name. Any authenticated user.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["scoring_policy:read"],
  request: { query: ListPoliciesQuerySchema },
  responses: {
    200: {
      description: "One page of policies",
      content: { "application/json": { schema: PolicyPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const rows = await listPolicies(c.get("services").graph, {
    after: after ? String(after.s) : null,
    limit: q.limit,
    category: q.category,
    enabled: q.enabled === undefined ? undefined : q.enabled === "true",
    attribute_name: q.attribute_name,
  });
  return c.json(
    finishPage(c, rows, q.limit, (p) => ({ s: p.slug })),
    200,
  );
};
