import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { authenticateBearer } from "../auth/authenticate.ts";
import { type Actor, type CredentialGrant, credentialActor, OWNER_VERTEX } from "../core/actor.ts";
import { createGrants } from "../core/grants.ts";
import type { AppEnv } from "./app.ts";
import { publicBase } from "./origin.ts";
import { ApiError } from "./problem.ts";

/** Name of the HttpOnly cookie holding the access token for the SPA. */
export const ACCESS_COOKIE = "imbi_access";
/** Name of the HttpOnly cookie holding the refresh token (scoped to the auth routes). */
export const REFRESH_COOKIE = "imbi_refresh";

// An `{org}` path segment worth looking up with the user: anything else cannot name an
// organization, and is left for the route's validation to refuse (after this 401 check).
const ORG_SLUG = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * What every protected route runs before validating its input (lib/http/route_guards.ts): the caller is
 * authenticated, and when the path names an organization their role there is loaded in the same
 * statement, so the route's permission check costs nothing more.
 */
export async function authenticateRequest(c: Context<AppEnv>): Promise<Actor> {
  const org = c.req.param("org");
  return authenticate(c, org !== undefined && ORG_SLUG.test(org) ? org : undefined);
}

/**
 * Verifies the credential (lib/auth/authenticate.ts), then loads its owner — and, when `orgSlug` is
 * given, in the same statement the organization's id and the owner's role there (one AGE statement
 * instead of three on the hot path). Sets the actor, their grants (with that role remembered) and
 * the organization on the context.
 */
async function authenticate(
  c: Context<AppEnv>,
  orgSlug?: string,
  // REST routes accept OAuth tokens issued for the API base only, never ones for /mcp.
  verify: () => Promise<CredentialGrant> = () =>
    authenticateBearer(c.get("services"), bearerToken(c), { audience: publicBase(c).apiBase }),
): Promise<Actor> {
  const cached = c.get("actor");
  if (cached && (orgSlug === undefined || c.get("grants")?.knows(orgSlug))) return cached;
  const s = c.get("services");
  const grant: CredentialGrant =
    cached && (cached.kind === "user" || cached.kind === "service_account")
      ? { ...cached, kind: cached.kind }
      : await verify();
  const owner = OWNER_VERTEX[grant.kind];
  const row = await s.graph.one<{
    active: boolean | null;
    admin: boolean | null;
    org: string | null;
    role: string | null;
  }>(
    `MATCH (u:${owner.label}) WHERE u.${owner.key} = $id
     OPTIONAL MATCH (o:Organization) WHERE o.slug = $org
     OPTIONAL MATCH (u)-[m:MEMBER_OF]->(o)
     RETURN u.is_active, u.is_admin, o.id, m.role`,
    { id: grant.id, org: orgSlug ?? null },
    ["active", "admin", "org", "role"],
  );
  if (!row || row.active === false)
    throw new ApiError({ code: "UNAUTHENTICATED", detail: "The account is inactive or no longer exists." });
  const actor = cached ?? credentialActor(grant, row.admin === true);
  const grants = c.get("grants") ?? createGrants(s.graph, actor, s.env.IMBI_SYSTEM_ORGANIZATION);
  if (orgSlug !== undefined) {
    grants.remember(orgSlug, row.role);
    // The organization acted in is the path's, resolved here once and handed to the verb's context.
    if (orgSlug === c.req.param("org")) c.set("org", { slug: orgSlug, id: row.org });
  }
  c.set("actor", actor);
  c.set("grants", grants);
  return actor;
}

/**
 * Authenticates a door that takes only an `Authorization: Bearer` header (no cookie: /mcp), with
 * the token's audience bound to `audience` (an OAuth token issued for another resource is refused).
 */
export function authenticateBearerHeader(c: Context<AppEnv>, audience: string): Promise<Actor> {
  return authenticate(c, undefined, () => {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "");
    if (!m?.[1])
      throw new ApiError({ code: "UNAUTHENTICATED", detail: "Use 'Authorization: Bearer <token>'." });
    return authenticateBearer(c.get("services"), m[1], { audience });
  });
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
