import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import type { Credential } from "../core/actor.ts";
import type { Ctx } from "../core/ctx.ts";
import { defineVerb } from "../core/verb.ts";
import {
  CLIENT_ID_PREFIX,
  findClientCredential,
  findKey,
  recordAssertion,
  touchClientCredential,
  touchKey,
} from "../identity/service_account_credentials.ts";
import { getServiceAccount } from "../identity/service_accounts.ts";
import { checkRateLimit, parseRateLimit } from "../kv/index.ts";
import { OAuthError } from "../oauth/error.ts";
import { authorizationCodeGrant, refreshTokenGrant } from "../oauth/grants.ts";
import { PERMISSIONS } from "./catalog.ts";
import { verifyCredentialSecret } from "./credential_hash.ts";
import { type ClientAuthMethod, signServiceAccountToken } from "./service_account_tokens.ts";
import type { ClientMeta } from "./tokens.ts";

// The OAuth 2.0 token endpoint (RFC 6749 §3.2), whichever door calls it. Its errors are RFC 6749
// §5.2 objects ({error, error_description}), not problem+json: OAuth client libraries parse that
// shape, and the RFC requires it. The grant types are a table, so issue 11 adds
// `authorization_code` and `refresh_token` as entries without touching client authentication.

/** The JWT-bearer client assertion type (RFC 7523 §2.2). */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Longest lifetime a client assertion may have (`exp` − now), in seconds. */
export const MAX_ASSERTION_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;
const ASSERTION_ALGORITHMS = ["EdDSA", "ES256"] as const;

export { OAuthError, type OAuthErrorCode } from "../oauth/error.ts";

/** The request as the door received it: form parameters and the Authorization header. */
export interface TokenRequest {
  params: Record<string, string | undefined>;
  authorization?: string;
  client: ClientMeta;
  /** URLs a client assertion's `aud` may name: this token endpoint as the request reached it (and IMBI_API_URL's). */
  audiences: string[];
}

/** A successful token response (RFC 6749 §5.1); no refresh token for client credentials (§4.4.3). */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  /** The granted scope; absent when the token is not limited beyond the account's roles. */
  scope?: string;
  /** authorization_code and refresh_token grants: the next refresh token (rotates on every use). */
  refresh_token?: string;
}

/** Who the client proved to be. */
interface AuthenticatedClient {
  clientId: string;
  slug: string;
  method: ClientAuthMethod;
  keyId?: string;
  /** The credential's scopes; null: none (the account's permissions). */
  scopes: string[] | null;
  rotation: number;
  notAfter: Date | null;
}

const failed = (basic: boolean) =>
  new OAuthError(
    "invalid_client",
    "Client authentication failed.",
    401,
    basic ? { "WWW-Authenticate": 'Basic realm="imbi", charset="UTF-8"' } : {},
  );

/** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding. */
function formDecode(s: string): string {
  return decodeURIComponent(s.replaceAll("+", " "));
}

function parseBasic(header: string): { id: string; secret: string } {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) throw failed(true);
  try {
    const raw = atob(m[1]);
    const i = raw.indexOf(":");
    if (i < 0) throw new Error("no colon");
    return { id: formDecode(raw.slice(0, i)), secret: formDecode(raw.slice(i + 1)) };
  } catch {
    throw failed(true);
  }
}

async function limit(ctx: Ctx, key: string): Promise<void> {
  const spec = ctx.services.env.IMBI_AUTH_RATE_LIMIT_TOKEN;
  const d = await checkRateLimit(ctx.services.kv, `rl:token:${key}`, parseRateLimit(spec));
  if (d.degraded) ctx.log.warn("rate limiter degraded: kv unreachable, allowing", { key });
  if (!d.allowed)
    throw new OAuthError(
      "rate_limited",
      `Too many token requests (limit ${spec}); retry in ${d.retryAfterSeconds} s.`,
      429,
      {
        "Retry-After": String(Math.max(1, d.retryAfterSeconds)),
      },
    );
}

/** The client id a request names, before it is verified (for the per-client rate limit). */
function claimedClientId(req: TokenRequest): string | undefined {
  if (req.authorization && /^Basic\s/i.test(req.authorization)) return parseBasic(req.authorization).id;
  if (req.params.client_assertion) {
    try {
      const iss = decodeJwt(req.params.client_assertion).iss;
      return typeof iss === "string" ? iss : undefined;
    } catch {
      return req.params.client_id;
    }
  }
  return req.params.client_id;
}

/** Refuses a client whose account is missing or inactive (same answer as a wrong secret). */
async function assertActive(ctx: Ctx, slug: string, basic: boolean): Promise<void> {
  const account = await getServiceAccount(ctx.services.graph, slug).catch(() => undefined);
  if (!account?.is_active) throw Object.assign(failed(basic), { reason: "inactive_account" });
}

/** client_secret_basic / client_secret_post (RFC 6749 §2.3.1). */
async function authenticateSecret(
  ctx: Ctx,
  id: string,
  secret: string,
  basic: boolean,
): Promise<AuthenticatedClient> {
  const { env, db } = ctx.services;
  const row = id.startsWith(CLIENT_ID_PREFIX) ? await findClientCredential(db, id) : undefined;
  // An unknown id and a wrong secret get the same answer; the HMAC is microseconds, so the two
  // take the same time to within noise (both read the row).
  const ok = row ? await verifyCredentialSecret(env, secret, row.secretHash) : false;
  const reason = !row
    ? "unknown_client"
    : !ok
      ? "bad_secret"
      : row.revokedAt
        ? "revoked"
        : row.expiresAt && row.expiresAt.getTime() <= Date.now()
          ? "expired"
          : null;
  if (!row || reason) throw Object.assign(failed(basic), { reason });
  await assertActive(ctx, row.serviceAccount, basic);
  return {
    clientId: id,
    slug: row.serviceAccount,
    method: "client_credentials",
    scopes: row.scopes.length > 0 ? row.scopes : null,
    rotation: row.rotatedAt?.getTime() ?? 0,
    notAfter: row.expiresAt,
  };
}

/**
 * private_key_jwt (RFC 7523 §2.2, §3): the client id of a key-based client is its service
 * account's slug; the assertion's `iss` and `sub` are that slug, its header names the registered
 * key (`kid`), `aud` is this token endpoint's URL, `exp` at most 5 minutes ahead, and its `jti` is
 * accepted once. Only the key's own algorithm (EdDSA or ES256) verifies: `alg: none` and HS256
 * signed with the public key are refused before any key is used.
 */
async function authenticateAssertion(
  ctx: Ctx,
  req: TokenRequest,
  assertion: string,
): Promise<AuthenticatedClient> {
  const fail = (reason: string) => Object.assign(failed(false), { reason });
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw fail("malformed_assertion");
  }
  if (!ASSERTION_ALGORITHMS.includes(header.alg as (typeof ASSERTION_ALGORITHMS)[number]))
    throw fail("algorithm_not_allowed");
  if (typeof header.kid !== "string") throw fail("no_kid");
  const key = await findKey(ctx.services.db, header.kid);
  if (!key || key.revokedAt) throw fail(key ? "key_revoked" : "unknown_key");
  if (key.alg !== header.alg) throw fail("algorithm_mismatch");
  const slug = key.serviceAccount;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion, await importJWK(key.jwk, key.alg), {
      algorithms: [key.alg],
      issuer: slug,
      subject: slug,
      audience: req.audiences,
      requiredClaims: ["iss", "sub", "aud", "exp", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch {
    throw fail("assertion_rejected");
  }
  const exp = payload.exp as number;
  const jti = payload.jti;
  if (exp - Date.now() / 1000 > MAX_ASSERTION_SECONDS + CLOCK_TOLERANCE_SECONDS)
    throw fail("assertion_too_long");
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 256) throw fail("bad_jti");
  if (req.params.client_id !== undefined && req.params.client_id !== slug) throw fail("client_id_mismatch");
  // The assertion must also be fresh: recorded until it expires, so a replay is refused everywhere.
  if (!(await recordAssertion(ctx.services.db, slug, jti, new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000))))
    throw fail("replay");
  await assertActive(ctx, slug, false);
  return {
    clientId: slug,
    slug,
    method: "private_key_jwt",
    keyId: key.kid,
    scopes: null,
    rotation: 0,
    notAfter: null,
  };
}

/** Authenticates the client by exactly one of the three methods (RFC 6749 §2.3: never several). */
async function authenticateClient(ctx: Ctx, req: TokenRequest): Promise<AuthenticatedClient> {
  const p = req.params;
  const basic = req.authorization !== undefined && /^Basic\s/i.test(req.authorization);
  const methods = [basic, p.client_secret !== undefined, p.client_assertion !== undefined].filter(
    Boolean,
  ).length;
  if (methods === 0)
    throw new OAuthError(
      "invalid_client",
      "Authenticate the client: HTTP Basic (client_secret_basic), client_id + client_secret in the body, or a client_assertion (private_key_jwt).",
      401,
      { "WWW-Authenticate": 'Basic realm="imbi", charset="UTF-8"' },
    );
  if (methods > 1) throw new OAuthError("invalid_request", "Use exactly one client authentication method.");
  if (basic && req.authorization) {
    const { id, secret } = parseBasic(req.authorization);
    return authenticateSecret(ctx, id, secret, true);
  }
  if (p.client_assertion !== undefined) {
    if (p.client_assertion_type !== JWT_BEARER)
      throw new OAuthError("invalid_request", `client_assertion_type must be ${JWT_BEARER}.`);
    return authenticateAssertion(ctx, req, p.client_assertion);
  }
  if (!p.client_id) throw new OAuthError("invalid_request", "client_id is required with client_secret.");
  return authenticateSecret(ctx, p.client_id, p.client_secret ?? "", false);
}

const KNOWN = new Set(PERMISSIONS);

/**
 * The scope to grant (reference §4.5): requested ∩ the credential's; only the credential's when
 * none is requested; the requested one when the credential has none; null (no limit) when
 * neither has any. Unknown names and an empty intersection are `invalid_scope`.
 */
export function grantScope(
  requested: string | undefined,
  credential: readonly string[] | null,
): string[] | null {
  const asked = requested === undefined ? null : [...new Set(requested.split(" ").filter((s) => s !== ""))];
  if (asked && asked.length === 0)
    throw new OAuthError("invalid_scope", "scope is empty; omit it or name permissions.");
  const unknown = asked?.filter((s) => !KNOWN.has(s)) ?? [];
  if (unknown.length > 0)
    throw new OAuthError(
      "invalid_scope",
      `Unknown scope(s): ${unknown.join(", ")}. Scopes are permission names.`,
    );
  if (!asked) return credential ? [...credential] : null;
  if (!credential) return asked;
  const granted = asked.filter((s) => credential.includes(s));
  if (granted.length === 0)
    throw new OAuthError("invalid_scope", "None of the requested scopes is allowed for this client.");
  return granted;
}

/** A grant type's handler: validates its parameters, authenticates as it requires, issues. */
export type GrantHandler = (ctx: Ctx, req: TokenRequest) => Promise<TokenResponse>;

/** RFC 6749 §4.4: a confidential client obtains a token for itself. */
const clientCredentialsGrant: GrantHandler = async (ctx, req) => {
  const { ip, userAgent } = req.client;
  let client: AuthenticatedClient;
  try {
    client = await authenticateClient(ctx, req);
  } catch (e) {
    if (e instanceof OAuthError && e.error === "invalid_client")
      ctx.audit({
        event: "client_authentication_failed",
        // Nothing was proved: the claimed client id is recorded, as an anonymous actor's.
        actor: { kind: "anonymous", id: (claimedClientId(req) ?? "").slice(0, 320), credential: null },
        ip,
        user_agent: userAgent,
        success: false,
        details: { reason: (e as OAuthError & { reason?: string }).reason ?? "no_credentials" },
      });
    throw e;
  }
  const scope = grantScope(req.params.scope, client.scopes);
  const { token, expiresIn } = await signServiceAccountToken(ctx.services, {
    slug: client.slug,
    clientId: client.clientId,
    method: client.method,
    keyId: client.keyId,
    scope,
    rotation: client.rotation,
    notAfter: client.notAfter,
  });
  const { db } = ctx.services;
  ctx.background(client.keyId ? touchKey(db, client.keyId) : touchClientCredential(db, client.clientId));
  const credential: Credential =
    client.method === "private_key_jwt"
      ? { method: client.method, clientId: client.clientId, keyId: client.keyId ?? "" }
      : { method: client.method, clientId: client.clientId };
  ctx.audit({
    event: "token_issued",
    actor: { kind: "service_account", id: client.slug, credential },
    subject: client.clientId,
    ip,
    user_agent: userAgent,
    details: { auth_method: client.method, scope: scope ?? null },
  });
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: expiresIn,
    ...(scope ? { scope: scope.join(" ") } : {}),
  };
};

/** The grant types this endpoint serves: machine clients, and OAuth public clients (issue 11, lib/oauth/grants.ts). */
const GRANTS: Record<string, GrantHandler> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

/**
 * `POST /api/auth/token`: dispatches on `grant_type` after the rate limits (per client address,
 * and per claimed client id — brute force of a secret or of assertions is limited both ways).
 * Throws {@link OAuthError}s only.
 */
export const issueToken = defineVerb({
  name: "issueToken",
  access: { scope: "public" },
  async run(ctx, req: TokenRequest): Promise<TokenResponse> {
    await limit(ctx, `ip:${req.client.ip}`);
    const grantType = req.params.grant_type;
    if (!grantType) throw new OAuthError("invalid_request", "grant_type is required.");
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    if (!grant)
      throw new OAuthError(
        "unsupported_grant_type",
        `grant_type '${grantType.slice(0, 64)}' is not supported; use ${Object.keys(GRANTS).join(", ")}.`,
      );
    const clientId = claimedClientId(req);
    if (clientId) await limit(ctx, `client:${clientId.slice(0, 128)}`);
    return grant(ctx, req);
  },
});
