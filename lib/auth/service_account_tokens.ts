// A service account's access tokens (from POST /api/auth/token): JWTs signed like the session
// tokens (same key, issuer, audience and `typ`), told apart by `principal: "service_account"`. They
// carry the client id, how the client authenticated, the key for private_key_jwt and the granted
// scope; every request re-checks the credential behind them (kv denylist, then the row), so a
// revoked credential or key — or a rotated secret — ends its tokens at once.
import { decodeJwt, errors, jwtVerify, SignJWT } from "jose";
import { nanoid } from "nanoid";
import type { CredentialGrant } from "../core/actor.ts";
import { DomainError } from "../errors.ts";
import { denyKeys, findClientCredential, findKey } from "../identity/service_account_credentials.ts";
import type { Services } from "../services.ts";

const ISSUER = "imbi";
const AUDIENCE = "imbi-api";
const ACCESS_TYP = "at+jwt";
const PRINCIPAL = "service_account";
const CLOCK_TOLERANCE_SECONDS = 30;
const REQUIRED = ["iss", "aud", "sub", "jti", "iat", "exp", "client_id", "auth_method", "principal"];

/** How a service account's client authenticated at the token endpoint. */
export type ClientAuthMethod = "client_credentials" | "private_key_jwt";

/** What a token is issued for. */
export interface ServiceAccountTokenSpec {
  slug: string;
  clientId: string;
  method: ClientAuthMethod;
  /** The public key's id (private_key_jwt only). */
  keyId?: string;
  /** Granted permissions; null: no limit beyond the account's roles. */
  scope: readonly string[] | null;
  /** The credential's `rotated_at` (ms) when issued: a later rotation ends the token. */
  rotation: number;
  /** The token never outlives the credential. */
  notAfter: Date | null;
}

/** Signs an access token; returns it and its lifetime in seconds. */
export async function signServiceAccountToken(
  s: Services,
  spec: ServiceAccountTokenSpec,
): Promise<{ token: string; expiresIn: number }> {
  const lifetime = s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS;
  const left = spec.notAfter ? Math.floor((spec.notAfter.getTime() - Date.now()) / 1000) : lifetime;
  const expiresIn = Math.max(1, Math.min(lifetime, left));
  const claims: Record<string, unknown> = {
    principal: PRINCIPAL,
    client_id: spec.clientId,
    auth_method: spec.method,
    rot: spec.rotation,
  };
  if (spec.keyId) claims.key_id = spec.keyId;
  if (spec.scope) claims.scope = spec.scope.join(" ");
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: s.env.IMBI_AUTH_JWT_ALGORITHM, typ: ACCESS_TYP })
    .setSubject(spec.slug)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(nanoid())
    .setIssuedAt()
    .setExpirationTime(`${expiresIn}s`)
    .sign(s.jwtKey);
  return { token, expiresIn };
}

/**
 * Whether a bearer token claims to be a service account's (read without verifying, only to pick
 * the verifier: each verifier checks the signature and refuses the other kind's claims).
 */
export function isServiceAccountToken(token: string): boolean {
  try {
    return decodeJwt(token).principal === PRINCIPAL;
  } catch {
    return false;
  }
}

const rejected = (why: string) =>
  new DomainError(
    "UNAUTHENTICATED",
    `The access token was rejected: ${why}. Request a new one at POST /api/auth/token.`,
  );
const revoked = () =>
  new DomainError(
    "TOKEN_REVOKED",
    "The credential this token was issued for was revoked or rotated; request a new token.",
  );

/**
 * Verifies a service account's access token and the credential behind it; returns what it
 * grants: the account, the credential, `scopes` = the granted scope (enforced by
 * lib/core/grants.ts on every request) and the client credential's organizations.
 */
export async function verifyServiceAccountToken(s: Services, token: string): Promise<CredentialGrant> {
  let p: Record<string, unknown>;
  try {
    ({ payload: p } = await jwtVerify(token, s.jwtKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [s.env.IMBI_AUTH_JWT_ALGORITHM],
      typ: ACCESS_TYP,
      requiredClaims: REQUIRED,
      maxTokenAge: s.env.IMBI_AUTH_ACCESS_TOKEN_EXPIRE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (e) {
    throw rejected(
      e instanceof errors.JWTExpired ? "it has expired" : "it is malformed, unsigned or not Imbi's",
    );
  }
  const slug = p.sub;
  const clientId = p.client_id;
  const method = p.auth_method;
  const keyId = p.key_id;
  if (typeof slug !== "string" || typeof clientId !== "string") throw rejected("its claims are malformed");
  const scope =
    typeof p.scope === "string"
      ? p.scope.split(" ").filter((x) => x !== "")
      : p.scope === undefined
        ? null
        : [];
  if (method === "client_credentials") {
    if (await s.kv.exists(denyKeys.client(clientId)).catch(() => false)) throw revoked();
    const row = await findClientCredential(s.db, clientId);
    if (!row || row.serviceAccount !== slug || row.revokedAt) throw revoked();
    if ((row.rotatedAt?.getTime() ?? 0) !== p.rot) throw revoked();
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
      throw new DomainError("UNAUTHENTICATED", "The client credential has expired; create a new one.");
    return {
      kind: "service_account",
      id: slug,
      credential: { method, clientId },
      scopes: scope,
      organizations: row.organizations.length > 0 ? row.organizations : null,
    };
  }
  if (method === "private_key_jwt" && typeof keyId === "string") {
    if (await s.kv.exists(denyKeys.key(keyId)).catch(() => false)) throw revoked();
    const row = await findKey(s.db, keyId);
    if (!row || row.serviceAccount !== slug || row.revokedAt) throw revoked();
    return {
      kind: "service_account",
      id: slug,
      credential: { method, clientId, keyId },
      scopes: scope,
      organizations: null,
    };
  }
  throw rejected("its claims are malformed");
}
