import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listScoringPolicies } from "../../../lib/scoring/policy_verbs.ts";
import { ListPoliciesQuerySchema, PolicyPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listScoringPolicies",
  method: "get",
  path: "/scoring/policies",
  tags: ["scoring"],
  summary: "List scoring policies",
  description:
    "Every scoring policy by slug, optionally by category, enabled flag and attribute name. " +
    "Needs scoring_policy:read in any organization.",
  ...verbAccess(listScoringPolicies),
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
  const q = c.req.valid("query");
  const page = await listScoringPolicies(ctxOf(c), {
    ...q,
    enabled: q.enabled === undefined ? undefined : q.enabled === "true",
  });
  return c.json(linkNext(c, page, q.limit), 200);
};
