import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokeServiceAccountKey } from "../../../lib/identity/service_account_verbs.ts";
import { KeyParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeServiceAccountKey",
  method: "delete",
  path: "/service-accounts/{slug}/keys/{kid}",
  tags: ["service-accounts"],
  summary: "Revoke a public key",
  description:
    "Assertions signed with it are refused, and tokens issued with it are refused from the next request. " +
    "Needs service_account:update globally.",
  ...verbAccess(revokeServiceAccountKey),
  request: { params: KeyParamSchema },
  responses: {
    204: { description: "Revoked" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokeServiceAccountKey(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
