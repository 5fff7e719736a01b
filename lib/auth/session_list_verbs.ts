import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { sessionFamilies } from "../../schema/tables.ts";
import { sessionOf } from "../core/actor.ts";
import type { Ctx } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import { DomainError } from "../errors.ts";
import { getUser, normalizeEmail } from "../identity/users.ts";
import { revokeAllSessions, revokeSession } from "./tokens.ts";

// The sessions a person can see and end (issue 14): every live login session (refresh-token
// family) with the device, address and times it was used, the current one marked; ending one, or
// every other one; and an administrator ending someone's. Revocation is immediate: refresh tokens
// stop working and access tokens of the session are refused on their next use.

/** A live login session as its owner (or an administrator) sees it. */
export interface SessionInfo {
  id: string;
  /** The browser or client that logged in, as its User-Agent said. */
  user_agent: string | null;
  /** The address it logged in from. */
  ip: string | null;
  created_at: string;
  /** The last login or refresh. */
  last_used_at: string;
  /** When it ends without use (IMBI_AUTH_SESSION_TIMEOUT_SECONDS after the last use)… */
  idle_expires_at: string;
  /** …and at the latest (the refresh token's lifetime). */
  expires_at: string;
  /** The session of this request's credential. */
  current: boolean;
}

async function liveSessions(ctx: Ctx, email: string, current: string | undefined): Promise<SessionInfo[]> {
  const rows = await ctx.services.db
    .select()
    .from(sessionFamilies)
    .where(
      and(
        eq(sessionFamilies.userEmail, email),
        isNull(sessionFamilies.revokedAt),
        gt(sessionFamilies.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(sessionFamilies.lastUsedAt), desc(sessionFamilies.id));
  const idleMs = ctx.services.env.IMBI_AUTH_SESSION_TIMEOUT_SECONDS * 1000;
  const now = Date.now();
  return rows
    .filter((r) => now - r.lastUsedAt.getTime() <= idleMs)
    .map((r) => ({
      id: r.id,
      user_agent: r.userAgent,
      ip: r.ip,
      created_at: r.createdAt.toISOString(),
      last_used_at: r.lastUsedAt.toISOString(),
      idle_expires_at: new Date(
        Math.min(r.lastUsedAt.getTime() + idleMs, r.expiresAt.getTime()),
      ).toISOString(),
      expires_at: r.expiresAt.toISOString(),
      current: r.id === current,
    }));
}

/**
 * The person behind a login session. API keys (a person's too) and service accounts cannot list or
 * end sessions: a key scoped to read the catalog must not be able to log its owner out.
 */
function sessionUser(ctx: Ctx): string {
  if (ctx.actor.kind !== "user" || sessionOf(ctx.actor.credential) === undefined)
    throw new DomainError(
      "FORBIDDEN",
      "Login sessions are managed from a login session (the web app, or a token from POST /api/auth/login); this credential is not one.",
    );
  return ctx.actor.id;
}

/** The caller's live login sessions, most recently used first. */
export const listMySessions = defineVerb({
  name: "listMySessions",
  access: { scope: "authenticated" },
  run: async (ctx, _input: Record<string, never>): Promise<{ data: SessionInfo[] }> => ({
    data: await liveSessions(ctx, sessionUser(ctx), sessionOf(ctx.actor.credential)),
  }),
});

/** Ends one of the caller's sessions (the current one too: that is a logout). */
export const revokeMySession = defineVerb({
  name: "revokeMySession",
  access: { scope: "authenticated" },
  async run(ctx, input: { session: string }): Promise<void> {
    const email = sessionUser(ctx);
    const [row] = await ctx.services.db
      .select({ id: sessionFamilies.id })
      .from(sessionFamilies)
      .where(
        and(
          eq(sessionFamilies.id, input.session),
          eq(sessionFamilies.userEmail, email),
          isNull(sessionFamilies.revokedAt),
        ),
      );
    // Another person's session is as absent as a made-up id: nothing tells them apart.
    if (!row) throw new DomainError("NOT_FOUND", `You have no live session '${input.session}'.`);
    await revokeSession(ctx.services, row.id, "revoked by its user");
    ctx.audit({ event: "session_revoked", subject: row.id, details: { by: "self" } });
  },
});

/** Ends every session of the caller but the current one ("sign out everywhere else"). */
export const revokeMyOtherSessions = defineVerb({
  name: "revokeMyOtherSessions",
  access: { scope: "authenticated" },
  async run(ctx, _input: Record<string, never>): Promise<{ revoked: number }> {
    const email = sessionUser(ctx);
    const current = sessionOf(ctx.actor.credential);
    const revoked = await revokeAllSessions(
      ctx.services,
      email,
      "revoked by its user: other sessions",
      current,
    );
    ctx.audit({ event: "session_revoked", subject: email, details: { by: "self", others: true, revoked } });
    return { revoked };
  },
});

/** A user's live sessions, for an administrator. */
export const listUserSessions = defineVerb({
  name: "listUserSessions",
  access: { scope: "global", permission: "user:read" },
  async run(ctx, input: { email: string }): Promise<{ data: SessionInfo[] }> {
    const user = await getUser(ctx.services.graph, normalizeEmail(input.email));
    return { data: await liveSessions(ctx, user.email, sessionOf(ctx.actor.credential)) };
  },
});

/** Ends every session of a user (a lost laptop, a leaving employee); they must log in again. */
export const revokeUserSessions = defineVerb({
  name: "revokeUserSessions",
  access: { scope: "global", permission: "user:update" },
  async run(ctx, input: { email: string }): Promise<{ revoked: number }> {
    const user = await getUser(ctx.services.graph, normalizeEmail(input.email));
    if (ctx.actor.kind === "user" && ctx.actor.id === user.email)
      throw new DomainError(
        "BAD_REQUEST",
        "These are your own sessions: end them with DELETE /api/users/me/sessions (every other one) or POST /api/auth/logout.",
      );
    const revoked = await revokeAllSessions(ctx.services, user.email, "revoked by an administrator");
    ctx.audit({ event: "session_revoked", subject: user.email, details: { by: "administrator", revoked } });
    return { revoked };
  },
});
