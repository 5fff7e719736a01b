import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { revokeMyAuthorization } from "../../../lib/oauth/oauth_verbs.ts";
import { ClientIdParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeMyAuthorization",
  method: "delete",
  path: "/users/me/authorizations/{client_id}",
  tags: ["oauth"],
  summary: "Revoke an application's access",
  description:
    "Forgets your consent to the client and revokes every token it holds for you, at once; it must ask again.",
  ...verbAccess(revokeMyAuthorization),
  request: { params: ClientIdParamSchema },
  responses: { 204: { description: "Revoked" }, ...openApiErrorResponses, ...openApiWriteErrorResponses },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokeMyAuthorization(ctxOf(c), { clientId: c.req.valid("param").client_id });
  return c.body(null, 204);
};
