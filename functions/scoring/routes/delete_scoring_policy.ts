import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema } from "../../../lib/http/routes.ts";
import { deleteScoringPolicy } from "../../../lib/scoring/policy_verbs.ts";
import { PolicySlugParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteScoringPolicy",
  method: "delete",
  path: "/scoring/policies/{slug}",
  tags: ["scoring"],
  summary: "Delete a scoring policy",
  description:
    "Deletes the policy (with `If-Match`, only if unchanged); the projects it targeted are queued for rescoring. " +
    "Needs scoring_policy:delete globally (an administrator, or a role in the system organization).",
  ...verbAccess(deleteScoringPolicy),
  request: { params: PolicySlugParamSchema, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteScoringPolicy(ctxOf(c), {
    slug: c.req.valid("param").slug,
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.body(null, 204);
};
