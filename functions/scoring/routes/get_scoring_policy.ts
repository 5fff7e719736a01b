import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getScoringPolicy } from "../../../lib/scoring/policy_verbs.ts";
import { PolicySchema, PolicySlugParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getScoringPolicy",
  method: "get",
  path: "/scoring/policies/{slug}",
  tags: ["scoring"],
  summary: "Get a scoring policy",
  description: "One policy by slug, with its ETag. Needs scoring_policy:read in any organization.",
  ...verbAccess(getScoringPolicy),
  request: { params: PolicySlugParamSchema },
  responses: {
    200: { description: "The policy", content: { "application/json": { schema: PolicySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await withEtag(c, await getScoringPolicy(ctxOf(c), c.req.valid("param"))), 200);
