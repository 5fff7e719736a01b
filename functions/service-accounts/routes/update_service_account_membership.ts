import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateServiceAccountMembership } from "../../../lib/identity/service_account_verbs.ts";
import { AccountMembershipParamSchema, ServiceAccountMembershipSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateServiceAccountMembership",
  method: "patch",
  path: "/service-accounts/{slug}/organizations/{org}",
  tags: ["service-accounts"],
  summary: "Change a service account's role in an organization",
  description:
    "JSON Patch over `role`. Needs service_account:update globally, and the new role may grant only " +
    "permissions you hold in that organization.",
  ...verbAccess(updateServiceAccountMembership),
  request: {
    params: AccountMembershipParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the membership's role"),
  },
  responses: {
    200: {
      description: "The updated membership",
      content: { "application/json": { schema: ServiceAccountMembershipSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateServiceAccountMembership(ctxOf(c), {
    ...c.req.valid("param"),
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
