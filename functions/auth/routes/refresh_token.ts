import { createRoute } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { rotateRefreshToken } from "../../../lib/auth/tokens.ts";
import { REFRESH_COOKIE } from "../../../lib/http/auth.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { requireJsonBody } from "../../../lib/http/content_type.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses } from "../../../lib/http/problem.ts";
import { setAuthCookies } from "../cookies.ts";
import { enforceRateLimit } from "../rate_limit.ts";
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
  security: [],
  "x-imbi-permission": [],
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: RefreshRequestSchema } } } },
  responses: {
    200: { description: "New tokens", content: { "application/json": { schema: TokenResponseSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const s = c.get("services");
  const meta = clientMeta(c);
  const presented = c.req.valid("json").refresh_token ?? getCookie(c, REFRESH_COOKIE);
  if (!presented)
    throw new ApiError({
      code: "UNAUTHENTICATED",
      detail: "Send refresh_token in the body or the imbi_refresh cookie.",
    });
  await enforceRateLimit(c, c.env.IMBI_AUTH_RATE_LIMIT_TOKEN_REFRESH, [`refresh:ip:${meta.ip}`]);
  const { email, ...tokens } = await rotateRefreshToken(s, presented, meta);
  s.audit({
    event: "token_refreshed",
    actor: email,
    subject: tokens.session_id,
    ip: meta.ip,
    user_agent: meta.userAgent,
  });
  setAuthCookies(c, tokens);
  return c.json(tokens, 200);
};
