import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getPolicy } from "../../../lib/scoring/policies.ts";
import { PolicySchema, PolicySlugParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getScoringPolicy",
  method: "get",
  path: "/scoring/policies/{slug}",
  tags: ["scoring"],
  summary: "Get a scoring policy",
  description: "One policy by slug, with its ETag. Any authenticated user.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["scoring_policy:read"],
  request: { params: PolicySlugParamSchema },
  responses: {
    200: { description: "The policy", content: { "application/json": { schema: PolicySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const policy = await getPolicy(c.get("services").graph, c.req.valid("param").slug);
  return c.json(await withEtag(c, policy), 200);
};
