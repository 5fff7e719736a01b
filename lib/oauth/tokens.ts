// OAuth access and refresh tokens (the contract of issue 11): access tokens are JWTs signed like
// session tokens (same key, `typ: at+jwt`), told apart by `auth_method: "oauth"`, with `aud` = the
// RFC 8707 resource they were issued for and `sid` = the refresh family. Every request re-checks
// the family and the client (kv denylist first, then one SQL row), so revoking a client, a user's
// consent or a family ends its tokens at once.
import { and, eq, isNull, type SQL } from "drizzle-orm";
import { decodeJwt, errors, jwtVerify, SignJWT } from "jose";
import { nanoid } from "nanoid";
import { oauthClients, oauthFamilies, oauthRefreshTokens } from "../../schema/tables.ts";
import type { CredentialGrant } from "../core/actor.ts";
import { DomainError } from "../errors.ts";
import type { Services } from "../services.ts";
import { permissionsOfScopes } from "./scopes.ts";

const ISSUER = "imbi";
const ACCESS_TYP = "at+jwt";
const METHOD = "oauth";
const CLOCK_TOLERANCE_SECONDS = 30;
const REQUIRED = ["iss", "aud", "sub", "sid", "jti", "iat", "exp", "client_id", "scope", "auth_method"];

/** kv keys whose presence refuses tokens before the SQL row is read (the row stays the truth). */
export const oauthDenyKeys = {
  family: (id: string) => `oauth:revoked:family:${id}`,
  client: (id: string) => `oauth:revoked:client:${id}`,
};

/** SHA-256, hex: refresh tokens and codes are stored and looked up by it. */
export async function sha256Hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Whether a bearer token claims to be an OAuth access token (unverified: only picks the verifier). */
export function isOAuthAccessToken(token: string): boolean {
  try {
    return decodeJwt(token).auth_method === METHOD;
  } catch {
    return false;
  }
}

/** What an access token is issued for. */
export interface OAuthTokenSpec {
  email: string;
  clientId: string;
  familyId: string;
  scopes: readonly string[];
  resource: string;
}

/** Signs an OAuth access token; returns it and its lifetime in seconds. */
export async function signOAuthAccessToken(
  s: Services,
  spec: OAuthTokenSpec,
): Promise<{ token: string; expiresIn: number }> {
  const expiresIn = s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS;
  const token = await new SignJWT({
    sid: spec.familyId,
    client_id: spec.clientId,
    scope: spec.scopes.join(" "),
    auth_method: METHOD,
  })
    .setProtectedHeader({ alg: s.env.IMBI_AUTH_JWT_ALGORITHM, typ: ACCESS_TYP })
    .setSubject(spec.email)
    .setIssuer(ISSUER)
    .setAudience(spec.resource)
    .setJti(nanoid())
    .setIssuedAt()
    .setExpirationTime(`${expiresIn}s`)
    .sign(s.jwtKey);
  return { token, expiresIn };
}

const rejected = (why: string) =>
  new DomainError(
    "UNAUTHENTICATED",
    `The OAuth access token was rejected: ${why}. Refresh it or sign in again.`,
  );
const revoked = () =>
  new DomainError(
    "TOKEN_REVOKED",
    "This OAuth grant was revoked (client, consent or token family); sign in again.",
  );

/**
 * Verifies an OAuth access token for the resource the door serves (`audience`: the MCP resource
 * URL, or the REST API base); a token issued for another resource is refused (RFC 8707). Then the
 * family and client behind it. Returns what it grants: the user, `{ method: "oauth", clientId }`
 * and the permissions its OAuth scopes map to.
 */
export async function verifyOAuthAccessToken(
  s: Services,
  token: string,
  audience: string | readonly string[] | undefined,
): Promise<CredentialGrant> {
  if (audience === undefined || audience.length === 0)
    throw rejected("this endpoint does not accept OAuth tokens");
  let p: Record<string, unknown>;
  try {
    ({ payload: p } = await jwtVerify(token, s.jwtKey, {
      issuer: ISSUER,
      audience: typeof audience === "string" ? audience : [...audience],
      algorithms: [s.env.IMBI_AUTH_JWT_ALGORITHM],
      typ: ACCESS_TYP,
      requiredClaims: REQUIRED,
      maxTokenAge: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw rejected("it has expired");
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === "aud")
      throw rejected(
        `it was issued for another resource (its audience is not ${[audience].flat().join(" or ")})`,
      );
    throw rejected("it is malformed, unsigned or not Imbi's");
  }
  const { sub: email, sid: familyId, client_id: clientId, scope } = p;
  if (
    typeof email !== "string" ||
    typeof familyId !== "string" ||
    typeof clientId !== "string" ||
    typeof scope !== "string"
  )
    throw rejected("its claims are malformed");
  const denied = await Promise.all([
    s.kv.exists(oauthDenyKeys.family(familyId)).catch(() => false),
    s.kv.exists(oauthDenyKeys.client(clientId)).catch(() => false),
  ]);
  if (denied.some(Boolean)) throw revoked();
  const [row] = await s.db
    .select({
      familyRevoked: oauthFamilies.revokedAt,
      expiresAt: oauthFamilies.expiresAt,
      clientRevoked: oauthClients.revokedAt,
      userEmail: oauthFamilies.userEmail,
      clientId: oauthFamilies.clientId,
    })
    .from(oauthFamilies)
    .innerJoin(oauthClients, eq(oauthClients.clientId, oauthFamilies.clientId))
    .where(eq(oauthFamilies.id, familyId));
  if (!row || row.familyRevoked || row.clientRevoked || row.userEmail !== email || row.clientId !== clientId)
    throw revoked();
  if (row.expiresAt.getTime() <= Date.now()) throw rejected("its grant has expired");
  return {
    kind: "user",
    id: email,
    credential: { method: "oauth", clientId },
    scopes: permissionsOfScopes(scope.split(" ").filter((x) => x !== "")),
    organizations: null,
  };
}

/** Issues a refresh token of `familyId` that cannot outlive the family. */
async function newRefreshToken(db: Services["db"], familyId: string, expiresAt: Date): Promise<string> {
  const id = `ort_${nanoid()}`;
  const secret = nanoid(43);
  await db.insert(oauthRefreshTokens).values({ id, familyId, tokenHash: await sha256Hex(secret), expiresAt });
  return `${id}.${secret}`;
}

/** What a code exchange or a refresh answers. */
export interface OAuthTokens {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** Starts a family for a code exchange and issues its first tokens. */
export async function startFamily(
  s: Services,
  grant: { email: string; clientId: string; scopes: readonly string[]; resource: string },
): Promise<OAuthTokens & { familyId: string }> {
  const familyId = `oaf_${nanoid()}`;
  const expiresAt = new Date(Date.now() + s.env.IMBI_AUTH_REFRESH_TOKEN_EXPIRE_SECONDS * 1000);
  const refresh = await s.db.transaction(async (tx) => {
    await tx.insert(oauthFamilies).values({
      id: familyId,
      userEmail: grant.email,
      clientId: grant.clientId,
      scopes: [...grant.scopes],
      resource: grant.resource,
      expiresAt,
    });
    return newRefreshToken(tx as unknown as Services["db"], familyId, expiresAt);
  });
  const { token, expiresIn } = await signOAuthAccessToken(s, { ...grant, familyId });
  return {
    familyId,
    access_token: token,
    token_type: "Bearer",
    expires_in: expiresIn,
    refresh_token: refresh,
    scope: grant.scopes.join(" "),
  };
}

/** Why a refresh failed: the token grant maps these to `invalid_grant`. */
export type RefreshFailure =
  | "invalid"
  | "revoked"
  | "client_mismatch"
  | { reused: { familyId: string; email: string } };

/**
 * Rotates a refresh token of `clientId`: each works once; presenting a used one revokes the whole
 * family (RFC 9700 §4.14.2). The conditional UPDATE decides races: exactly one use claims it.
 */
export async function rotateOAuthRefresh(
  s: Services,
  presented: string,
  clientId: string,
): Promise<{ ok: OAuthTokens & { familyId: string; email: string } } | { fail: RefreshFailure }> {
  const [id, secret] = presented.split(".");
  if (!id || !secret) return { fail: "invalid" };
  const [row] = await s.db
    .select({
      tokenHash: oauthRefreshTokens.tokenHash,
      expiresAt: oauthRefreshTokens.expiresAt,
      familyId: oauthRefreshTokens.familyId,
      email: oauthFamilies.userEmail,
      clientId: oauthFamilies.clientId,
      scopes: oauthFamilies.scopes,
      resource: oauthFamilies.resource,
      familyRevoked: oauthFamilies.revokedAt,
      clientRevoked: oauthClients.revokedAt,
    })
    .from(oauthRefreshTokens)
    .innerJoin(oauthFamilies, eq(oauthFamilies.id, oauthRefreshTokens.familyId))
    .innerJoin(oauthClients, eq(oauthClients.clientId, oauthFamilies.clientId))
    .where(eq(oauthRefreshTokens.id, id));
  if (!row || !constantTimeEqual(row.tokenHash, await sha256Hex(secret))) return { fail: "invalid" };
  if (row.clientId !== clientId) return { fail: "client_mismatch" };
  if (row.familyRevoked || row.clientRevoked) return { fail: "revoked" };
  if (row.expiresAt.getTime() <= Date.now()) return { fail: "invalid" };
  const next = await s.db.transaction(async (tx) => {
    const claimed = await tx
      .update(oauthRefreshTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(oauthRefreshTokens.id, id), isNull(oauthRefreshTokens.usedAt)))
      .returning({ id: oauthRefreshTokens.id });
    if (claimed.length === 0) return null;
    await tx.update(oauthFamilies).set({ lastUsedAt: new Date() }).where(eq(oauthFamilies.id, row.familyId));
    return newRefreshToken(tx as unknown as Services["db"], row.familyId, row.expiresAt);
  });
  if (next === null) {
    await revokeFamilies(s, eq(oauthFamilies.id, row.familyId), "refresh token reuse detected");
    return { fail: { reused: { familyId: row.familyId, email: row.email } } };
  }
  const { token, expiresIn } = await signOAuthAccessToken(s, {
    email: row.email,
    clientId,
    familyId: row.familyId,
    scopes: row.scopes,
    resource: row.resource,
  });
  return {
    ok: {
      familyId: row.familyId,
      email: row.email,
      access_token: token,
      token_type: "Bearer",
      expires_in: expiresIn,
      refresh_token: next,
      scope: row.scopes.join(" "),
    },
  };
}

/** Revokes the active families matching `where`; their access tokens are refused at once. Returns their ids. */
export async function revokeFamilies(s: Services, where: SQL, reason: string): Promise<string[]> {
  const rows = await s.db
    .update(oauthFamilies)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(where, isNull(oauthFamilies.revokedAt)))
    .returning({ id: oauthFamilies.id });
  const ttlSeconds = s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS + CLOCK_TOLERANCE_SECONDS;
  await Promise.all(
    rows.map((r) => s.kv.set(oauthDenyKeys.family(r.id), true, { ttlSeconds }).catch(() => false)),
  );
  return rows.map((r) => r.id);
}

/** Revokes every family of one user's grant to one client (consent revoked). */
export function revokeUserClientFamilies(
  s: Services,
  email: string,
  clientId: string,
  reason: string,
): Promise<string[]> {
  return revokeFamilies(
    s,
    and(eq(oauthFamilies.userEmail, email), eq(oauthFamilies.clientId, clientId)) as SQL,
    reason,
  );
}

/** Revokes every family of a client (the client itself was revoked) and denies its tokens in kv. */
export async function revokeClientFamilies(s: Services, clientId: string, reason: string): Promise<string[]> {
  const ttlSeconds = s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS + CLOCK_TOLERANCE_SECONDS;
  await s.kv.set(oauthDenyKeys.client(clientId), true, { ttlSeconds }).catch(() => false);
  return revokeFamilies(s, eq(oauthFamilies.clientId, clientId), reason);
}
