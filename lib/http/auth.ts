import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { Principal } from "../auth/principal.ts";
import { verifyAccessToken } from "../auth/tokens.ts";
import { rememberOrg } from "../catalog/org.ts";
import { sessionUser } from "../core/actor.ts";
import { createGrants } from "../core/grants.ts";
import type { AppEnv } from "./app.ts";
import { ApiError } from "./problem.ts";

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
 * What every protected route runs before validating its input (lib/http/route_guards.ts): the caller is
 * authenticated, and when the path names an organization their role there is loaded in the same
 * statement, so the route's permission check costs nothing more.
 */
export async function authenticateRequest(c: Context<AppEnv>): Promise<Principal> {
  const org = c.req.param("org");
  return authenticate(c, org !== undefined && ORG_SLUG.test(org) ? org : undefined);
}

/**
 * Verifies the token, then loads the user — and, when `orgSlug` is given, in the same statement the
 * organization's id and the user's role there (one AGE statement instead of three on the hot path).
 * Sets the actor, their grants (with that role remembered) and the organization on the context.
 */
async function authenticate(c: Context<AppEnv>, orgSlug?: string): Promise<Principal> {
  const cached = c.get("auth");
  if (cached && (orgSlug === undefined || c.get("grants")?.knows(orgSlug))) return cached;
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
  const actor = cached ? c.get("actor") : undefined;
  const current = actor ?? sessionUser(claims.email, row.admin === true, claims.sessionId);
  const grants = c.get("grants") ?? createGrants(s.graph, current, s.env.IMBI_SYSTEM_ORGANIZATION);
  if (orgSlug !== undefined) {
    grants.remember(orgSlug, row.role);
    // The organization acted in is the path's; another one checked on the way does not replace it.
    if (orgSlug === c.req.param("org")) c.set("org", { slug: orgSlug, id: row.org });
    if (row.org) rememberOrg(s.graph, { id: row.org, slug: orgSlug });
  }
  c.set("actor", current);
  c.set("grants", grants);
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
 * org A grants nothing in org B); without, it is a global resource (`is_admin`, or a role in the
 * system organization). Routes not yet moved onto verbs use it; verbs declare their access instead.
 */
export async function requirePermission(
  c: Context<AppEnv>,
  permission: string,
  orgSlug?: string,
): Promise<Principal> {
  const p = await authenticate(c, orgSlug);
  const grants = c.get("grants");
  const held = orgSlug !== undefined ? await grants?.in(orgSlug) : await grants?.global();
  if (held?.has(permission)) return p;
  throw new ApiError({
    code: "FORBIDDEN",
    detail:
      orgSlug !== undefined
        ? `Permission denied: ${permission} is required in organization '${orgSlug}'.`
        : `Permission denied: ${permission} is required globally (an administrator, or a role in the system organization '${c.env.IMBI_SYSTEM_ORGANIZATION}').`,
  });
}
