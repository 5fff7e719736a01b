import { sessionOf } from "../core/actor.ts";
import type { AuditActor, Ctx } from "../core/ctx.ts";
import { enforceRateLimit } from "../core/rate_limit.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { membershipsOf } from "../identity/permissions.ts";
import { getCredentials, getUser, normalizeEmail, setPasswordHash, type User } from "../identity/users.ts";
import { admitLogin, loginLimits, recordLoginFailure, recordLoginSuccess, sleep } from "./login_limits.ts";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password.ts";
import {
  type ClientMeta,
  type IssuedTokens,
  issueSession,
  revokeAllSessions,
  revokeSession,
  rotateRefreshToken,
} from "./tokens.ts";

// Sessions: log in, refresh, log out, and who am I — whichever door calls them. Login and refresh
// are public (the credential is what they check), with their rate limits and audit rows here; a
// door only carries the tokens (the HTTP door also sets and clears its cookies). `client` is the
// caller's address and user agent as the door resolved them (lib/http/client.ts on HTTP).

/**
 * The response header a throttled login carries (on success and on failure alike): how long, in
 * milliseconds, the answer was held because the account is past its ceiling of failed logins.
 */
export const LOGIN_DELAY_HEADER = "X-Login-Delay";

/** 429 with Retry-After when `key` has used up `spec` (slowapi format from settings). */
const limitOrRefuse = (ctx: Ctx, spec: string, key: string) =>
  enforceRateLimit(
    ctx.services,
    `rl:${key}`,
    spec,
    (retry) => `Rate limit of ${spec} exceeded; retry in ${retry} s.`,
  );

/** What a login answers: the tokens, and how long the answer was held (0 unless throttled). */
export interface LoginResult {
  tokens: IssuedTokens;
  delayMs: number;
}

/**
 * Logs in with email and password (lib/auth/login_limits.ts limits and slows attempts). A wrong
 * email and a wrong password get the same answer in the same time; every outcome is audited.
 */
export const login = defineVerb({
  name: "login",
  access: { scope: "public" },
  async run(ctx, input: { email: string; password: string; client: ClientMeta }): Promise<LoginResult> {
    const s = ctx.services;
    const { env } = s;
    const email = normalizeEmail(input.email);
    const { ip, userAgent } = input.client;
    const attempt = { email, ip };
    // Until the password is verified the caller has proved nothing: the rows of refused and slowed
    // attempts name the email tried as an anonymous actor without a credential.
    const claimed: AuditActor = { kind: "anonymous", id: email, credential: null };
    const limits = loginLimits(env);
    const admission = await admitLogin(s.kv, limits, attempt);
    if (!admission.allowed) {
      const spec =
        admission.limit === "address"
          ? env.IMBI_AUTH_RATE_LIMIT_LOGIN
          : env.IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES;
      // Once per window, not per refused request: a flood must not become an audit-log flood.
      if (admission.firstRefusal) {
        ctx.log.warn("login rate limited", { limit: admission.limit, ip });
        ctx.audit({
          event: "login_rate_limited",
          actor: claimed,
          ip,
          user_agent: userAgent,
          success: false,
          details: { limit: admission.limit, rate: spec },
        });
      }
      throw new DomainError(
        "RATE_LIMITED",
        admission.limit === "address"
          ? `Too many login attempts from this address (limit ${spec}); retry in ${admission.retryAfterSeconds} s.`
          : `Too many failed logins for this account from this address (limit ${spec}); retry in ${admission.retryAfterSeconds} s.`,
        undefined,
        { "Retry-After": String(admission.retryAfterSeconds) },
      );
    }
    if (admission.degraded) ctx.log.warn("login limits degraded: kv unreachable, allowing", { ip });
    if (admission.delayMs > 0) {
      // Past the account's ceiling of failures: slow every attempt on it (the owner's too), refuse none.
      ctx.log.warn("login throttled", { delayMs: admission.delayMs, failures: admission.accountFailures });
      ctx.audit({
        event: "login_throttled",
        actor: claimed,
        ip,
        user_agent: userAgent,
        details: {
          delay_ms: admission.delayMs,
          account_failures: admission.accountFailures,
          rate: env.IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT,
        },
      });
      await sleep(admission.delayMs);
    }
    const throttle: Record<string, string> =
      admission.delayMs > 0 ? { [LOGIN_DELAY_HEADER]: String(admission.delayMs) } : {};

    const creds = await getCredentials(s.graph, email);
    // Always run one Argon2 verification, so unknown emails cost the same as wrong passwords.
    const ok = await verifyPassword(input.password, creds?.hash || (await dummyPasswordHash()));
    if (!creds?.hash || !ok || !creds.active) {
      await recordLoginFailure(s.kv, limits, attempt);
      ctx.audit({
        event: "login_failed",
        actor: claimed,
        ip,
        user_agent: userAgent,
        success: false,
        details: { reason: !creds ? "unknown_user" : !creds.active ? "inactive" : "bad_password" },
      });
      throw new DomainError("INVALID_CREDENTIALS", "Invalid email or password.", undefined, throttle);
    }
    await recordLoginSuccess(s.kv, attempt);
    if (needsRehash(creds.hash)) await setPasswordHash(s.graph, email, await hashPassword(input.password));
    const tokens = await issueSession(s, email, input.client);
    // The call ran as anonymous; its rows name the user and the session the login opened.
    const user: AuditActor = {
      kind: "user",
      id: email,
      credential: { method: "password", sessionId: tokens.session_id },
    };
    for (const event of ["login", "token_issued"])
      ctx.audit({ event, actor: user, subject: tokens.session_id, ip, user_agent: userAgent });
    return { tokens, delayMs: admission.delayMs };
  },
});

/**
 * Exchanges a refresh token for new tokens (it rotates: the presented one stops working; a used
 * one revokes its whole session). Limited per client address.
 */
export const refreshToken = defineVerb({
  name: "refreshToken",
  access: { scope: "public" },
  async run(ctx, input: { refreshToken?: string; client: ClientMeta }): Promise<IssuedTokens> {
    if (!input.refreshToken)
      throw new DomainError("UNAUTHENTICATED", "Send refresh_token in the body or the imbi_refresh cookie.");
    const { ip, userAgent } = input.client;
    await limitOrRefuse(ctx, ctx.services.env.IMBI_AUTH_RATE_LIMIT_TOKEN_REFRESH, `refresh:ip:${ip}`);
    const { email, ...tokens } = await rotateRefreshToken(ctx, input.refreshToken, input.client);
    ctx.audit({
      event: "token_refreshed",
      actor: { kind: "user", id: email, credential: { method: "refresh", sessionId: tokens.session_id } },
      subject: tokens.session_id,
      ip,
      user_agent: userAgent,
    });
    return tokens;
  },
});

/** Ends the actor's session (its refresh token stops working, its access tokens are refused), or all of them. */
export const logout = defineVerb({
  name: "logout",
  access: { scope: "authenticated" },
  async run(ctx, input: { allSessions: boolean; client: ClientMeta }): Promise<void> {
    const sessionId = sessionOf(ctx.actor.credential);
    if (sessionId === undefined)
      throw new DomainError("BAD_REQUEST", "Only a login session can log out; this credential is not one.");
    const count = input.allSessions
      ? await revokeAllSessions(ctx.services, ctx.actor.id, "logout: all sessions")
      : await revokeSession(ctx.services, sessionId, "logout");
    ctx.audit({
      event: "token_revoked",
      subject: sessionId,
      ip: input.client.ip,
      user_agent: input.client.userAgent,
      details: { all_sessions: input.allSessions, sessions_revoked: Number(count) },
    });
  },
});

/** The actor's profile with each membership's role and permissions (they differ per organization). */
export interface Me extends User {
  session_id: string;
  organizations: Awaited<ReturnType<typeof membershipsOf>>;
  /** Permissions on global resources (users, service accounts…): the admin flag or the system organization's role. */
  global_permissions: string[];
}

/** The actor's own profile, session and memberships. */
export const getMe = defineVerb({
  name: "getMe",
  access: { scope: "authenticated" },
  async run(ctx, _input: Record<string, never>): Promise<Me> {
    if (ctx.actor.kind !== "user")
      throw new DomainError(
        "NOT_FOUND",
        `GET /api/users/me is a user's profile, and this credential belongs to ${ctx.actor.kind.replace("_", " ")} '${ctx.actor.id}'; GET /api/auth/whoami describes any principal.`,
      );
    const { graph } = ctx.services;
    const [user, organizations, global] = await Promise.all([
      getUser(graph, ctx.actor.id),
      membershipsOf(graph, ctx.actor.id),
      ctx.grants.global(),
    ]);
    return {
      ...user,
      session_id: sessionOf(ctx.actor.credential) ?? "",
      organizations,
      global_permissions: [...global].sort(),
    };
  },
});
