import { and, asc, eq, gt, isNull, ne } from "drizzle-orm";
import { errors, jwtVerify, SignJWT } from "jose";
import { nanoid } from "nanoid";
import { refreshTokens, sessionFamilies } from "../../schema/tables.ts";
import type { Ctx } from "../core/ctx.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";

const ISSUER = "imbi";
const AUDIENCE = "imbi-api";
// Explicit typing (RFC 8725 §3.11, RFC 9068): a JWT of another kind signed with the same secret
// (a future OAuth state or email-link token) can never pass as an access token.
const ACCESS_TYP = "at+jwt";
// Every claim an access token is issued with; a correctly signed token missing one is rejected.
const ACCESS_CLAIMS = ["iss", "aud", "sub", "sid", "jti", "iat", "exp"];
// Clock skew allowed between the replica that signed and the one verifying (exp, iat).
const CLOCK_TOLERANCE_SECONDS = 30;

/** What a successful login or refresh returns. */
export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_expires_in: number;
  session_id: string;
}

/** Request facts recorded on a session. */
export interface ClientMeta {
  ip: string;
  userAgent: string;
}

async function sha256Hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const invalidRefresh = () =>
  new DomainError("INVALID_CREDENTIALS", "The refresh token is invalid or expired; log in again.");

async function signAccess(
  s: Services,
  email: string,
  sessionId: string,
  method: SessionMethod,
): Promise<string> {
  return new SignJWT({ sid: sessionId, auth_method: method })
    .setProtectedHeader({ alg: s.env.IMBI_AUTH_JWT_ALGORITHM, typ: ACCESS_TYP })
    .setSubject(email)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(nanoid())
    .setIssuedAt()
    .setExpirationTime(`${s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS}s`)
    .sign(s.jwtKey);
}

/** Issues a refresh token that can never outlive its session (rotation does not extend a login). */
async function newRefreshToken(
  familyId: string,
  sessionExpiresAt: Date,
  db: Services["db"],
): Promise<string> {
  const id = nanoid();
  const secret = nanoid(43);
  await db
    .insert(refreshTokens)
    .values({ id, familyId, tokenHash: await sha256Hex(secret), expiresAt: sessionExpiresAt });
  return `${id}.${secret}`;
}

/**
 * Starts a session (a refresh-token family) and issues its first tokens. Past the configured
 * maximum of concurrent sessions, the user's oldest active sessions are revoked.
 */
export async function issueSession(s: Services, email: string, meta: ClientMeta): Promise<IssuedTokens> {
  const sessionId = `ses_${nanoid()}`;
  const refreshTtl = s.env.IMBI_AUTH_REFRESH_TOKEN_EXPIRE_SECONDS;
  const expiresAt = new Date(Date.now() + refreshTtl * 1000);
  const refresh = await s.db.transaction(async (tx) => {
    await tx.insert(sessionFamilies).values({
      id: sessionId,
      userEmail: email,
      expiresAt,
      userAgent: meta.userAgent.slice(0, 512),
      ip: meta.ip,
    });
    return newRefreshToken(sessionId, expiresAt, tx as unknown as Services["db"]);
  });
  const active = await s.db
    .select({ id: sessionFamilies.id })
    .from(sessionFamilies)
    .where(
      and(
        eq(sessionFamilies.userEmail, email),
        isNull(sessionFamilies.revokedAt),
        gt(sessionFamilies.expiresAt, new Date()),
      ),
    )
    .orderBy(asc(sessionFamilies.createdAt), asc(sessionFamilies.id));
  const excess = active.length - s.env.IMBI_AUTH_MAX_CONCURRENT_SESSIONS;
  for (const old of active.slice(0, Math.max(0, excess))) {
    if (old.id !== sessionId) await revokeSession(s, old.id, "evicted: too many concurrent sessions");
  }
  return {
    access_token: await signAccess(s, email, sessionId, "password"),
    refresh_token: refresh,
    token_type: "Bearer",
    expires_in: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS,
    refresh_expires_in: refreshTtl,
    session_id: sessionId,
  };
}

/**
 * Exchanges a refresh token for new tokens. Each refresh token works once; presenting a used one
 * is treated as theft and revokes the whole family (every token of that session).
 */
export async function rotateRefreshToken(
  ctx: Ctx,
  presented: string,
  meta: ClientMeta,
): Promise<IssuedTokens & { email: string }> {
  const s = ctx.services;
  const [id, secret] = presented.split(".");
  if (!id || !secret) throw invalidRefresh();
  const [row] = await s.db
    .select({
      id: refreshTokens.id,
      familyId: refreshTokens.familyId,
      tokenHash: refreshTokens.tokenHash,
      expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt,
      email: sessionFamilies.userEmail,
      revokedAt: sessionFamilies.revokedAt,
      sessionExpiresAt: sessionFamilies.expiresAt,
      lastUsedAt: sessionFamilies.lastUsedAt,
    })
    .from(refreshTokens)
    .innerJoin(sessionFamilies, eq(sessionFamilies.id, refreshTokens.familyId))
    .where(eq(refreshTokens.id, id));
  if (!row || !constantTimeEqual(row.tokenHash, await sha256Hex(secret))) throw invalidRefresh();
  if (row.revokedAt) throw new DomainError("TOKEN_REVOKED", "This session was revoked; log in again.");
  if (Math.min(row.expiresAt.getTime(), row.sessionExpiresAt.getTime()) <= Date.now()) throw invalidRefresh();
  const idleSeconds = s.env.IMBI_AUTH_SESSION_TIMEOUT_SECONDS;
  if (Date.now() - row.lastUsedAt.getTime() > idleSeconds * 1000) {
    await revokeSession(s, row.familyId, "idle timeout");
    throw new DomainError(
      "TOKEN_REVOKED",
      `The session ended after ${idleSeconds} s without use (IMBI_AUTH_SESSION_TIMEOUT_SECONDS); log in again.`,
    );
  }

  // Claim, issue the successor and touch the session in one transaction: a crash in between must
  // not leave the client holding only a used token (its next refresh would look like theft).
  // The conditional UPDATE decides races: of two concurrent uses, exactly one claims the token.
  const refresh = await s.db.transaction(async (tx) => {
    const claimed = await tx
      .update(refreshTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt)))
      .returning({ id: refreshTokens.id });
    if (claimed.length === 0) return null;
    const next = await newRefreshToken(row.familyId, row.sessionExpiresAt, tx as unknown as Services["db"]);
    await tx
      .update(sessionFamilies)
      .set({ lastUsedAt: new Date() })
      .where(eq(sessionFamilies.id, row.familyId));
    return next;
  });
  // Used again just after its first use: the same client retrying (a page reloaded while its
  // refresh was in flight never saw the answer). It gets a fresh token of the same session; the
  // successor it missed stays valid until used or expired. Later, a reuse is treated as theft.
  const graceMs = s.env.IMBI_AUTH_REFRESH_REUSE_GRACE_SECONDS * 1000;
  const usedAt = refresh === null ? await usedAtOf(s, id) : null;
  if (refresh === null && usedAt !== null && graceMs > 0 && Date.now() - usedAt.getTime() <= graceMs) {
    const retried = await newRefreshToken(row.familyId, row.sessionExpiresAt, s.db);
    ctx.audit({
      event: "token_refresh_retried",
      actor: { kind: "user", id: row.email, credential: { method: "refresh", sessionId: row.familyId } },
      subject: row.familyId,
      ip: meta.ip,
      user_agent: meta.userAgent,
      details: { token_id: id, seconds_since_first_use: Math.round((Date.now() - usedAt.getTime()) / 1000) },
    });
    return {
      email: row.email,
      access_token: await signAccess(s, row.email, row.familyId, "refresh"),
      refresh_token: retried,
      token_type: "Bearer",
      expires_in: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS,
      refresh_expires_in: Math.max(0, Math.floor((row.sessionExpiresAt.getTime() - Date.now()) / 1000)),
      session_id: row.familyId,
    };
  }
  if (refresh === null) {
    await revokeSession(s, row.familyId, "refresh token reuse detected");
    ctx.audit({
      event: "token_reuse_detected",
      // The credential presented was this session's refresh token (possibly by a thief; the row
      // says success=false), so it names the session's user and that credential.
      actor: { kind: "user", id: row.email, credential: { method: "refresh", sessionId: row.familyId } },
      subject: row.familyId,
      ip: meta.ip,
      user_agent: meta.userAgent,
      success: false,
      details: { token_id: id },
    });
    throw new DomainError(
      "TOKEN_REVOKED",
      "This refresh token was already used; the session has been revoked. Log in again.",
    );
  }
  return {
    email: row.email,
    access_token: await signAccess(s, row.email, row.familyId, "refresh"),
    refresh_token: refresh,
    token_type: "Bearer",
    expires_in: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS,
    refresh_expires_in: Math.max(0, Math.floor((row.expiresAt.getTime() - Date.now()) / 1000)),
    session_id: row.familyId,
  };
}

/** When a refresh token was first used (null when it never was). */
async function usedAtOf(s: Services, id: string): Promise<Date | null> {
  const [r] = await s.db
    .select({ usedAt: refreshTokens.usedAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.id, id));
  return r?.usedAt ?? null;
}

const denyKey = (sessionId: string) => `auth:revoked:${sessionId}`;

/** Revokes one session: its refresh tokens stop working and its access tokens are rejected. */
export async function revokeSession(s: Services, sessionId: string, reason: string): Promise<boolean> {
  const rows = await s.db
    .update(sessionFamilies)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessionFamilies.id, sessionId), isNull(sessionFamilies.revokedAt)))
    .returning({ id: sessionFamilies.id });
  // Fast path for access-token checks; the SQL row stays the source of truth.
  await s.kv
    .set(denyKey(sessionId), true, { ttlSeconds: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS })
    .catch(() => false);
  return rows.length > 0;
}

/**
 * Revokes every active session of a user, except `keep` when given (the caller's own session after
 * a self-service password change); returns how many were revoked.
 */
export async function revokeAllSessions(
  s: Services,
  email: string,
  reason: string,
  keep?: string,
): Promise<number> {
  const rows = await s.db
    .select({ id: sessionFamilies.id })
    .from(sessionFamilies)
    .where(
      and(
        eq(sessionFamilies.userEmail, email),
        isNull(sessionFamilies.revokedAt),
        keep ? ne(sessionFamilies.id, keep) : undefined,
      ),
    );
  for (const r of rows) await revokeSession(s, r.id, reason);
  return rows.length;
}

/** Claims of a verified access token. */
/** How a session's access token was obtained: by a login, or by refreshing the session. */
export type SessionMethod = "password" | "refresh";

export interface AccessClaims {
  email: string;
  sessionId: string;
  /** `password` for tokens issued before the claim existed. */
  method: SessionMethod;
}

/**
 * Why jose refused a token, for the 401's detail. Claim problems are reported only for tokens whose
 * signature verified (jose checks the signature first), so the detail helps a client developer
 * without helping a forger.
 */
function rejection(e: unknown, algorithm: string): string {
  if (e instanceof errors.JWTExpired) return "it has expired";
  if (e instanceof errors.JOSEAlgNotAllowed) return `it must be signed with ${algorithm}`;
  if (e instanceof errors.JWSSignatureVerificationFailed) return "its signature does not verify";
  if (e instanceof errors.JWTClaimValidationFailed) return e.message;
  if (e instanceof BadClaim) return e.message;
  return "it is malformed or unsigned";
}

class BadClaim extends Error {}

/**
 * Verifies an access token: the signature with the configured algorithm only, the `typ` header,
 * every claim Imbi issues (`iss`, `aud`, `sub`, `sid`, `jti`, `iat`, `exp`), an `iat` that is not in
 * the future and not older than the configured lifetime, then the session. Throws 401 problems.
 */
export async function verifyAccessToken(s: Services, token: string): Promise<AccessClaims> {
  let email: string;
  let sessionId: string;
  let method: SessionMethod;
  const algorithm = s.env.IMBI_AUTH_JWT_ALGORITHM;
  try {
    const { payload } = await jwtVerify(token, s.jwtKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [algorithm],
      typ: ACCESS_TYP,
      requiredClaims: ACCESS_CLAIMS,
      // Also bounds a token whose `exp` was set far beyond the lifetime this deployment issues.
      maxTokenAge: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    for (const claim of ["sub", "sid", "jti"] as const)
      if (typeof payload[claim] !== "string" || payload[claim] === "")
        throw new BadClaim(`the "${claim}" claim must be a non-empty string`);
    email = payload.sub as string;
    sessionId = payload.sid as string;
    method = payload.auth_method === "refresh" ? "refresh" : "password";
  } catch (e) {
    throw new DomainError(
      "UNAUTHENTICATED",
      `The access token was rejected: ${rejection(e, algorithm)}. Refresh it or log in again.`,
    );
  }
  const denied = await s.kv.exists(denyKey(sessionId)).catch(() => false);
  const revoked = () => new DomainError("TOKEN_REVOKED", "This session was revoked; log in again.");
  if (denied) throw revoked();
  const [fam] = await s.db
    .select({ revokedAt: sessionFamilies.revokedAt, expiresAt: sessionFamilies.expiresAt })
    .from(sessionFamilies)
    .where(eq(sessionFamilies.id, sessionId));
  if (!fam || fam.revokedAt) throw revoked();
  if (fam.expiresAt.getTime() <= Date.now())
    throw new DomainError("UNAUTHENTICATED", "The session has expired; log in again.");
  return { email, sessionId, method };
}
