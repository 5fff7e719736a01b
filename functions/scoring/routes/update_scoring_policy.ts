import { createRoute } from "@hono/zod-openapi";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { applyJsonPatch } from "../../../lib/json_patch.ts";
import { getPolicy, updatePolicy } from "../../../lib/scoring/policies.ts";
import { onPolicyChange } from "../../../lib/scoring/triggers.ts";
import { PolicySchema, PolicySlugParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateScoringPolicy",
  method: "patch",
  path: "/scoring/policies/{slug}",
  tags: ["scoring"],
  summary: "Update a scoring policy",
  description:
    "JSON Patch over the policy document (e.g. `/weight`, `/value_score_map/gold`, `/targets/-`, even `/category` " +
    "with its fields); /created_at and /updated_at are read-only. The result is validated like a create. The " +
    "projects the policy targeted before or targets now are queued for rescoring. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["scoring_policy:write"],
  request: {
    params: PolicySlugParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the policy document"),
  },
  responses: {
    200: { description: "The updated policy", content: { "application/json": { schema: PolicySchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "scoring_policy:write");
  const s = c.get("services");
  const { slug } = c.req.valid("param");
  const current = await getPolicy(s.graph, slug);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const { created_at: _c, updated_at: _u, ...doc } = current;
  const next = applyJsonPatch(doc, c.req.valid("json"), ["/created_at", "/updated_at"]);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updatePolicy(s.graph, slug, next, unchangedSince(ifMatch, current.updated_at));
  s.audit({ event: "scoring_policy_updated", actor: actor.email, subject: updated.slug });
  onPolicyChange(s, current, updated, actor.email);
  return c.json(await withEtag(c, updated), 200);
};
