import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokeServiceAccountApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { AccountKeyParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeServiceAccountApiKey",
  method: "delete",
  path: "/service-accounts/{slug}/api-keys/{key_id}",
  tags: ["api-keys"],
  summary: "Revoke one of a service account's API keys",
  description:
    "Revokes the key: from the next request on, on every replica and Worker, it is refused (401). The key stays listed with status `revoked`; revoking it again changes nothing. Needs service_account:update globally (an administrator, or a role in the system organization); an unknown account is a 404.",
  ...verbAccess(revokeServiceAccountApiKey),
  request: { params: AccountKeyParamSchema },
  responses: {
    204: { description: "Revoked" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokeServiceAccountApiKey(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
