import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createScoringPolicy } from "../../../lib/scoring/policy_verbs.ts";
import { CreatePolicySchema, PolicySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createScoringPolicy",
  method: "post",
  path: "/scoring/policies",
  tags: ["scoring"],
  summary: "Create a scoring policy",
  description:
    "Creates a policy of one category (attribute, presence, link_presence, age, deployment_status, condition). " +
    "An invalid policy (e.g. overlapping ranges, a bad age key, a condition deeper than 6) is a 400 naming the " +
    "problem; a taken slug is a 409. Every project the policy targets is queued for rescoring. " +
    "Needs scoring_policy:write globally (an administrator, or a role in the system organization).",
  ...verbAccess(createScoringPolicy),
  request: {
    body: {
      description: "The new policy",
      required: true,
      content: { "application/json": { schema: CreatePolicySchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: PolicySchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const policy = await createScoringPolicy(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "scoring", "policies", policy.slug));
  return c.json(await withEtag(c, policy), 201);
};
