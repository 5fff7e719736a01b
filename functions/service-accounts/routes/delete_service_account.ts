import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteServiceAccount } from "../../../lib/identity/service_account_verbs.ts";
import { AccountParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteServiceAccount",
  method: "delete",
  path: "/service-accounts/{slug}",
  tags: ["service-accounts"],
  summary: "Delete a service account",
  description:
    "Deletes the account, its memberships and every credential (client credentials, public keys, API keys); " +
    "its tokens are refused from the next request. Needs service_account:delete globally.",
  ...verbAccess(deleteServiceAccount),
  request: { params: AccountParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteServiceAccount(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
