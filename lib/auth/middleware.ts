import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app.ts";
import { rememberOrg } from "../catalog/org.ts";
import { ApiError } from "../errors.ts";
import { roleClosures } from "../identity/role_cache.ts";
import type { Principal } from "./principal.ts";
import { verifyAccessToken } from "./tokens.ts";

/** Name of the HttpOnly cookie holding the access token for the SPA. */
export const ACCESS_COOKIE = "imbi_access";
/** Name of the HttpOnly cookie holding the refresh token (scoped to the auth routes). */
export const REFRESH_COOKIE = "imbi_refresh";

/**
 * Authenticates the request (Bearer header, else the access cookie) once and caches the principal
 * on the context. Throws 401 when there are no or bad credentials, or the user is inactive.
 */
export async function requireAuth(c: Context<AppEnv>): Promise<Principal> {
  return authenticate(c);
}

// An `{org}` path segment worth looking up with the user: anything else cannot name an
// organization, and is left for the route's validation to refuse (after this 401 check).
const ORG_SLUG = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * What every protected route runs before validating its input (lib/route_guards.ts): the caller is
 * authenticated, and when the path names an organization their role there is loaded in the same
 * statement, so the route's permission check costs nothing more.
 */
export async function authenticateRequest(c: Context<AppEnv>): Promise<Principal> {
  const org = c.req.param("org");
  return authenticate(c, org !== undefined && ORG_SLUG.test(org) ? org : undefined);
}

// Per request (the context is the key, so entries die with it): the caller's role in each
// organization already looked up, so a permission check costs no extra statement.
const orgRoles = new WeakMap<Context<AppEnv>, Map<string, string | null>>();

/**
 * Verifies the token, then loads the user — and, when `orgSlug` is given, in the same statement the
 * organization's id and the user's role there (one AGE statement instead of three on the hot path).
 */
async function authenticate(c: Context<AppEnv>, orgSlug?: string): Promise<Principal> {
  const cached = c.get("auth");
  if (cached && (orgSlug === undefined || orgRoles.get(c)?.has(orgSlug))) return cached;
  const s = c.get("services");
  const claims = cached
    ? { email: cached.email, sessionId: cached.sessionId }
    : await verifyAccessToken(s, bearerToken(c));
  const row = await s.graph.one<{
    active: boolean | null;
    admin: boolean | null;
    org: string | null;
    role: string | null;
  }>(
    `MATCH (u:User) WHERE u.email = $email
     OPTIONAL MATCH (o:Organization) WHERE o.slug = $org
     OPTIONAL MATCH (u)-[m:MEMBER_OF]->(o)
     RETURN u.is_active, u.is_admin, o.id, m.role`,
    { email: claims.email, org: orgSlug ?? null },
    ["active", "admin", "org", "role"],
  );
  if (!row || row.active === false)
    throw new ApiError({ code: "UNAUTHENTICATED", detail: "The account is inactive or no longer exists." });
  if (orgSlug !== undefined) {
    const roles = orgRoles.get(c) ?? new Map<string, string | null>();
    roles.set(orgSlug, row.role);
    orgRoles.set(c, roles);
    if (row.org) rememberOrg(s.graph, { id: row.org, slug: orgSlug });
  }
  const principal: Principal = {
    kind: "user",
    email: claims.email,
    isAdmin: row.admin === true,
    sessionId: claims.sessionId,
  };
  c.set("auth", principal);
  return principal;
}

function bearerToken(c: Context<AppEnv>): string {
  const header = c.req.header("Authorization");
  let token: string | undefined;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
      throw new ApiError({ code: "UNAUTHENTICATED", detail: "Use 'Authorization: Bearer <access token>'." });
    token = m[1];
  } else token = getCookie(c, ACCESS_COOKIE);
  if (!token)
    throw new ApiError({
      code: "UNAUTHENTICATED",
      detail: "Authentication required: log in at POST /api/auth/login.",
    });
  return token;
}

/**
 * Checks one permission. With `orgSlug` it is evaluated in that organization only (an admin role in
 * org A grants nothing in org B); without, it is a global resource that needs `is_admin`.
 * `is_admin` users pass everywhere.
 */
export async function requirePermission(
  c: Context<AppEnv>,
  permission: string,
  orgSlug?: string,
): Promise<Principal> {
  const p = await authenticate(c, orgSlug);
  if (p.isAdmin) return p;
  if (orgSlug !== undefined) {
    const role = orgRoles.get(c)?.get(orgSlug);
    const permissions = role ? ((await roleClosures(c.get("services").graph)).get(role) ?? []) : [];
    if (permissions.includes(permission)) return p;
    throw new ApiError({
      code: "FORBIDDEN",
      detail: `Permission denied: ${permission} is required in organization '${orgSlug}'.`,
    });
  }
  throw new ApiError({
    code: "FORBIDDEN",
    detail: `Permission denied: ${permission} requires an administrator.`,
  });
}
