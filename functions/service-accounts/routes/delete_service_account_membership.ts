import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteServiceAccountMembership } from "../../../lib/identity/service_account_verbs.ts";
import { AccountMembershipParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteServiceAccountMembership",
  method: "delete",
  path: "/service-accounts/{slug}/organizations/{org}",
  tags: ["service-accounts"],
  summary: "Remove a service account from an organization",
  description: "Ends the membership. Needs service_account:update globally.",
  ...verbAccess(deleteServiceAccountMembership),
  request: { params: AccountMembershipParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteServiceAccountMembership(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
