import { createRoute } from "@hono/zod-openapi";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "../../../lib/auth/password.ts";
import { issueSession } from "../../../lib/auth/tokens.ts";
import { clientMeta } from "../../../lib/client.ts";
import { requireJsonBody } from "../../../lib/content_type.ts";
import { ApiError, openApiErrorResponses } from "../../../lib/errors.ts";
import { getCredentials, normalizeEmail, setPasswordHash } from "../../../lib/identity/users.ts";
import type { AppRouteHandler } from "../../../lib/openapi.ts";
import { setAuthCookies } from "../cookies.ts";
import { enforceRateLimit } from "../rate_limit.ts";
import { LoginRequestSchema, TokenResponseSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "login",
  method: "post",
  path: "/auth/login",
  tags: ["auth"],
  summary: "Log in with email and password",
  description:
    "Returns an access token and a single-use refresh token, and sets them as HttpOnly cookies. " +
    "Wrong email and wrong password get the same answer in the same time. Rate limited per client and account.",
  security: [],
  "x-imbi-permission": [],
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: LoginRequestSchema } } } },
  responses: {
    200: { description: "Logged in", content: { "application/json": { schema: TokenResponseSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const s = c.get("services");
  const body = c.req.valid("json");
  const email = normalizeEmail(body.email);
  const meta = clientMeta(c);
  await enforceRateLimit(c, c.env.IMBI_AUTH_RATE_LIMIT_LOGIN, [
    `login:ip:${meta.ip}`,
    `login:email:${email}`,
  ]);

  const creds = await getCredentials(s.graph, email);
  // Always run one Argon2 verification, so unknown emails cost the same as wrong passwords.
  const ok = await verifyPassword(body.password, creds?.hash || (await dummyPasswordHash()));
  if (!creds?.hash || !ok || !creds.active) {
    s.audit({
      event: "login_failed",
      actor: email,
      ip: meta.ip,
      user_agent: meta.userAgent,
      success: false,
      details: { reason: !creds ? "unknown_user" : !creds.active ? "inactive" : "bad_password" },
    });
    throw new ApiError({ code: "INVALID_CREDENTIALS", detail: "Invalid email or password." });
  }
  if (needsRehash(creds.hash)) await setPasswordHash(s.graph, email, await hashPassword(body.password));
  const tokens = await issueSession(s, email, meta);
  s.audit({
    event: "login",
    actor: email,
    subject: tokens.session_id,
    ip: meta.ip,
    user_agent: meta.userAgent,
  });
  s.audit({
    event: "token_issued",
    actor: email,
    subject: tokens.session_id,
    ip: meta.ip,
    user_agent: meta.userAgent,
  });
  setAuthCookies(c, tokens);
  return c.json(tokens, 200);
};
