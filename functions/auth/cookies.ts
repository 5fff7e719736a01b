import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { IssuedTokens } from "../../lib/auth/tokens.ts";
import { apiPrefix } from "../../lib/env.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../../lib/http/auth.ts";

const secure = (c: Context<AppEnv>) =>
  c.env.IMBI_AUTH_COOKIE_SECURE ?? !["development", "test"].includes(c.env.ENVIRONMENT);

/** Sets the SPA's HttpOnly cookies; the refresh cookie only travels to the auth routes. */
export function setAuthCookies(c: Context<AppEnv>, t: IssuedTokens): void {
  const base = { httpOnly: true, sameSite: "Lax", secure: secure(c) } as const;
  setCookie(c, ACCESS_COOKIE, t.access_token, { ...base, path: "/", maxAge: t.expires_in });
  setCookie(c, REFRESH_COOKIE, t.refresh_token, {
    ...base,
    path: `${apiPrefix(c.env)}/auth`,
    maxAge: t.refresh_expires_in,
  });
}

/** Clears both cookies (logout). */
export function clearAuthCookies(c: Context<AppEnv>): void {
  deleteCookie(c, ACCESS_COOKIE, { path: "/", secure: secure(c) });
  deleteCookie(c, REFRESH_COOKIE, { path: `${apiPrefix(c.env)}/auth`, secure: secure(c) });
}
