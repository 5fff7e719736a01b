import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokeOAuthClient } from "../../../lib/oauth/oauth_verbs.ts";
import { ClientIdParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeOAuthClient",
  method: "delete",
  path: "/admin/oauth-clients/{client_id}",
  tags: ["oauth"],
  summary: "Revoke an OAuth client",
  description:
    "The client can no longer sign anyone in; every access and refresh token it holds is refused from the next " +
    "request, on every process; users' consents to it are deleted. Needs oauth_client:delete globally.",
  ...verbAccess(revokeOAuthClient),
  request: { params: ClientIdParamSchema },
  responses: { 204: { description: "Revoked" }, ...openApiErrorResponses, ...openApiWriteErrorResponses },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokeOAuthClient(ctxOf(c), { clientId: c.req.valid("param").client_id });
  return c.body(null, 204);
};
