import { createRoute } from "@hono/zod-openapi";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema } from "../../../lib/http/routes.ts";
import { deletePolicy, getPolicy } from "../../../lib/scoring/policies.ts";
import { onPolicyChange } from "../../../lib/scoring/triggers.ts";
import { PolicySlugParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteScoringPolicy",
  method: "delete",
  path: "/scoring/policies/{slug}",
  tags: ["scoring"],
  summary: "Delete a scoring policy",
  description:
    "Deletes the policy (with `If-Match`, only if unchanged); the projects it targeted are queued for rescoring. " +
    "Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["scoring_policy:delete"],
  request: { params: PolicySlugParamSchema, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "scoring_policy:delete");
  const s = c.get("services");
  const { slug } = c.req.valid("param");
  const ifMatch = c.req.valid("header")["if-match"];
  const current = await getPolicy(s.graph, slug);
  await checkIfMatch(ifMatch, current);
  // With If-Match it only goes if nobody changed it since the check (else 412).
  const deleted = await deletePolicy(s.graph, slug, unchangedSince(ifMatch, current.updated_at));
  s.audit({ event: "scoring_policy_deleted", actor: actor.email, subject: slug });
  onPolicyChange(s, deleted, null, actor.email);
  return c.body(null, 204);
};
