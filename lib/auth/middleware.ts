import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../errors.ts";
import { permissionsInOrganization } from "../identity/permissions.ts";
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
  const cached = c.get("auth");
  if (cached) return cached;
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
  const s = c.get("services");
  const claims = await verifyAccessToken(s, token);
  const user = await s.graph.one<{ active: boolean | null; admin: boolean | null }>(
    "MATCH (u:User) WHERE u.email = $email RETURN u.is_active, u.is_admin",
    { email: claims.email },
    ["active", "admin"],
  );
  if (!user || user.active === false)
    throw new ApiError({ code: "UNAUTHENTICATED", detail: "The account is inactive or no longer exists." });
  const principal: Principal = {
    kind: "user",
    email: claims.email,
    isAdmin: user.admin === true,
    sessionId: claims.sessionId,
  };
  c.set("auth", principal);
  return principal;
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
  const p = await requireAuth(c);
  if (p.isAdmin) return p;
  if (orgSlug !== undefined) {
    const { permissions } = await permissionsInOrganization(c.get("services").graph, p.email, orgSlug);
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
