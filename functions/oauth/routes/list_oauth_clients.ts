import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listOAuthClients } from "../../../lib/oauth/oauth_verbs.ts";
import { OAuthClientListSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listOAuthClients",
  method: "get",
  path: "/admin/oauth-clients",
  tags: ["oauth"],
  summary: "List registered OAuth clients",
  description:
    "Every client registered by dynamic client registration, revoked ones included. Needs oauth_client:read globally.",
  ...verbAccess(listOAuthClients),
  responses: {
    200: { description: "The clients", content: { "application/json": { schema: OAuthClientListSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json({ data: await listOAuthClients(ctxOf(c), {}) }, 200);
};
