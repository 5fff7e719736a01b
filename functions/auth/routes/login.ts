import { createRoute } from "@hono/zod-openapi";
import { LOGIN_DELAY_HEADER, login } from "../../../lib/auth/session_verbs.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { requireJsonBody } from "../../../lib/http/content_type.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { setAuthCookies } from "../cookies.ts";
import { LoginRequestSchema, TokenResponseSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "login",
  method: "post",
  path: "/auth/login",
  tags: ["auth"],
  summary: "Log in with email and password",
  description:
    "Returns an access token and a single-use refresh token, and sets them as HttpOnly cookies. " +
    "Wrong email and wrong password get the same answer in the same time. Attempts are limited per " +
    "client address (`IMBI_AUTH_RATE_LIMIT_LOGIN`) and failures per account and address " +
    "(`IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES`), both answered 429 for that address only. Past the " +
    "per-account ceiling of failures (`IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT`) every attempt on the " +
    "account is slowed instead, and the answer carries `X-Login-Delay` (milliseconds held).",
  ...verbAccess(login),
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: LoginRequestSchema } } } },
  responses: {
    200: {
      description: "Logged in",
      headers: {
        "X-Login-Delay": {
          description:
            "Present when the account is past its ceiling of failed logins: how long (ms) the answer was held",
          schema: { type: "integer", example: 750 },
        },
      },
      content: { "application/json": { schema: TokenResponseSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { tokens, delayMs } = await login(ctxOf(c), { ...c.req.valid("json"), client: clientMeta(c) });
  setAuthCookies(c, tokens);
  if (delayMs > 0) c.header(LOGIN_DELAY_HEADER, String(delayMs));
  return c.json(tokens, 200);
};
