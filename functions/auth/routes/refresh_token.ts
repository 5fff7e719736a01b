import { createRoute } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { refreshToken } from "../../../lib/auth/session_verbs.ts";
import { REFRESH_COOKIE } from "../../../lib/http/auth.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { requireJsonBody } from "../../../lib/http/content_type.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { setAuthCookies } from "../cookies.ts";
import { RefreshRequestSchema, TokenResponseSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "refreshToken",
  method: "post",
  path: "/auth/token/refresh",
  tags: ["auth"],
  summary: "Exchange a refresh token for new tokens",
  description:
    "Rotates: the presented refresh token stops working and a new one is returned. Presenting a " +
    "refresh token that was already used revokes its whole session (all tokens of that login).",
  ...verbAccess(refreshToken),
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: RefreshRequestSchema } } } },
  responses: {
    200: { description: "New tokens", content: { "application/json": { schema: TokenResponseSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const tokens = await refreshToken(ctxOf(c), {
    refreshToken: c.req.valid("json").refresh_token ?? getCookie(c, REFRESH_COOKIE),
    client: clientMeta(c),
  });
  setAuthCookies(c, tokens);
  return c.json(tokens, 200);
};
