import { createRoute } from "@hono/zod-openapi";
import {
  admitLogin,
  loginLimits,
  recordLoginFailure,
  recordLoginSuccess,
  sleep,
} from "../../../lib/auth/login_limits.ts";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "../../../lib/auth/password.ts";
import { issueSession } from "../../../lib/auth/tokens.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { requireJsonBody } from "../../../lib/http/content_type.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getCredentials, normalizeEmail, setPasswordHash } from "../../../lib/identity/users.ts";
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
  security: [],
  "x-imbi-permission": [],
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
  const s = c.get("services");
  const body = c.req.valid("json");
  const email = normalizeEmail(body.email);
  const meta = clientMeta(c);
  const attempt = { email, ip: meta.ip };
  const limits = loginLimits(c.env);
  const admission = await admitLogin(s.kv, limits, attempt);
  if (!admission.allowed) {
    const spec =
      admission.limit === "address"
        ? c.env.IMBI_AUTH_RATE_LIMIT_LOGIN
        : c.env.IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES;
    // Once per window, not per refused request: a flood must not become an audit-log flood.
    if (admission.firstRefusal) {
      s.log.warn("login rate limited", { limit: admission.limit, ip: meta.ip });
      s.audit({
        event: "login_rate_limited",
        actor: email,
        ip: meta.ip,
        user_agent: meta.userAgent,
        success: false,
        details: { limit: admission.limit, rate: spec },
      });
    }
    throw new ApiError({
      code: "RATE_LIMITED",
      detail:
        admission.limit === "address"
          ? `Too many login attempts from this address (limit ${spec}); retry in ${admission.retryAfterSeconds} s.`
          : `Too many failed logins for this account from this address (limit ${spec}); retry in ${admission.retryAfterSeconds} s.`,
      headers: { "Retry-After": String(admission.retryAfterSeconds) },
    });
  }
  if (admission.degraded) s.log.warn("login limits degraded: kv unreachable, allowing", { ip: meta.ip });
  const throttle: Record<string, string> = {};
  if (admission.delayMs > 0) {
    // Past the account's ceiling of failures: slow every attempt on it (the owner's too), refuse none.
    throttle["X-Login-Delay"] = String(admission.delayMs);
    s.log.warn("login throttled", { delayMs: admission.delayMs, failures: admission.accountFailures });
    s.audit({
      event: "login_throttled",
      actor: email,
      ip: meta.ip,
      user_agent: meta.userAgent,
      details: {
        delay_ms: admission.delayMs,
        account_failures: admission.accountFailures,
        rate: c.env.IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT,
      },
    });
    await sleep(admission.delayMs);
  }

  const creds = await getCredentials(s.graph, email);
  // Always run one Argon2 verification, so unknown emails cost the same as wrong passwords.
  const ok = await verifyPassword(body.password, creds?.hash || (await dummyPasswordHash()));
  if (!creds?.hash || !ok || !creds.active) {
    await recordLoginFailure(s.kv, limits, attempt);
    s.audit({
      event: "login_failed",
      actor: email,
      ip: meta.ip,
      user_agent: meta.userAgent,
      success: false,
      details: { reason: !creds ? "unknown_user" : !creds.active ? "inactive" : "bad_password" },
    });
    throw new ApiError({
      code: "INVALID_CREDENTIALS",
      detail: "Invalid email or password.",
      headers: throttle,
    });
  }
  await recordLoginSuccess(s.kv, attempt);
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
  for (const [name, value] of Object.entries(throttle)) c.header(name, value);
  return c.json(tokens, 200);
};
