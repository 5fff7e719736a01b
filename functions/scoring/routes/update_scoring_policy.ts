import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateScoringPolicy } from "../../../lib/scoring/policy_verbs.ts";
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
    "projects the policy targeted before or targets now are queued for rescoring. " +
    "Needs scoring_policy:write globally (an administrator, or a role in the system organization).",
  ...verbAccess(updateScoringPolicy),
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
  const updated = await updateScoringPolicy(ctxOf(c), {
    slug: c.req.valid("param").slug,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
