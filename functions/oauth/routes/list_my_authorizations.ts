import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listMyAuthorizations } from "../../../lib/oauth/oauth_verbs.ts";
import { AuthorizationListSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listMyAuthorizations",
  method: "get",
  path: "/users/me/authorizations",
  tags: ["oauth"],
  summary: "Applications you have authorized",
  description: "The OAuth clients (MCP clients) you consented to, with the OAuth scopes you granted them.",
  ...verbAccess(listMyAuthorizations),
  responses: {
    200: {
      description: "Your authorizations",
      content: { "application/json": { schema: AuthorizationListSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json({ data: await listMyAuthorizations(ctxOf(c), {}) }, 200);
};
