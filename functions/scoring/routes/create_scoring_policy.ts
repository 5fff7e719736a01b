import { createRoute } from "@hono/zod-openapi";
import { slugify } from "../../../lib/blueprints/blueprints.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createPolicy } from "../../../lib/scoring/policies.ts";
import { onPolicyChange } from "../../../lib/scoring/triggers.ts";
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
    "problem; a taken slug is a 409. Every project the policy targets is queued for rescoring. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["scoring_policy:write"],
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
  const actor = await requirePermission(c, "scoring_policy:write");
  const s = c.get("services");
  const body = c.req.valid("json");
  const policy = await createPolicy(s.graph, { ...body, slug: body.slug ?? slugify(body.name) });
  s.audit({ event: "scoring_policy_created", actor: actor.email, subject: policy.slug });
  onPolicyChange(s, null, policy, actor.email);
  c.header("Location", locationOf(c, "scoring", "policies", policy.slug));
  return c.json(await withEtag(c, policy), 201);
};
