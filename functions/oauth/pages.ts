import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { nanoid } from "nanoid";
import { authenticateBearer } from "../../lib/auth/authenticate.ts";
import { login } from "../../lib/auth/session_verbs.ts";
import { credentialActor } from "../../lib/core/actor.ts";
import { apiPrefix } from "../../lib/env.ts";
import { DomainError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { createRouter } from "../../lib/http/app.ts";
import { ACCESS_COOKIE } from "../../lib/http/auth.ts";
import { clientMeta } from "../../lib/http/client.ts";
import { ctxOf } from "../../lib/http/ctx.ts";
import { publicBase } from "../../lib/http/origin.ts";
import { type AuthorizeRequest, checkAuthorizeRequest } from "../../lib/oauth/authorize.ts";
import { authorizeClient } from "../../lib/oauth/oauth_verbs.ts";
import { OAUTH_SCOPES } from "../../lib/oauth/scopes.ts";
import { constantTimeEqual } from "../../lib/oauth/tokens.ts";

// The authorization endpoint's pages: server-rendered HTML with no scripts and no external assets,
// so they work on every host without the SPA, and a browser never runs code on them. Forms carry
// a CSRF token bound to a SameSite=Strict cookie; the sign-in is the ordinary login verb (its rate
// limits and audit rows), kept in an HttpOnly cookie scoped to these pages. Outside the OpenAPI
// document, like /docs: they are pages for people, not API operations.

const SESSION_COOKIE = "imbi_oauth_session";
const CSRF_COOKIE = "imbi_oauth_csrf";

const html = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );

const secure = (c: Context<AppEnv>) =>
  c.env.IMBI_AUTH_COOKIE_SECURE ?? !["development", "test"].includes(c.env.ENVIRONMENT);
const pagePath = (c: Context<AppEnv>) => `${apiPrefix(c.env)}/auth/authorize`;

/** The request's CSRF token: the cookie's, or a new one set on the response. */
function csrfToken(c: Context<AppEnv>): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = nanoid(32);
  setCookie(c, CSRF_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: secure(c),
    path: pagePath(c),
  });
  return token;
}

function csrfOk(c: Context<AppEnv>, sent: unknown): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  return (
    typeof sent === "string" &&
    cookie !== undefined &&
    cookie.length === 32 &&
    constantTimeEqual(cookie, sent)
  );
}

function page(
  c: Context<AppEnv>,
  status: 200 | 400 | 401 | 403 | 429,
  title: string,
  body: string,
  formTarget?: string,
) {
  const nonce = nanoid(16);
  // form-action must allow the client's redirect: browsers apply it to the redirect after a post.
  const formAction = ["'self'", formTarget].filter(Boolean).join(" ");
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${html(title)} · Imbi</title><style nonce="${nonce}">body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2430}
h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.error{color:#a40000}.muted{color:#5a6270;font-size:.9rem}li{margin:.3rem 0}</style></head>
<body><h1>${html(title)}</h1>${body}</body></html>`,
    status,
    {
      "Content-Security-Policy": `default-src 'none'; style-src 'nonce-${nonce}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  );
}

const errorPage = (c: Context<AppEnv>, message: string, status: 400 | 403 = 400) =>
  page(c, status, "Cannot sign in to this application", `<p class="error">${html(message)}</p>`);

function loginPage(
  c: Context<AppEnv>,
  q: string,
  r: AuthorizeRequest,
  error?: string,
  status: 200 | 401 | 429 = 200,
) {
  return page(
    c,
    status,
    "Sign in to Imbi",
    `<p><strong>${html(r.client.clientName)}</strong> wants to use your Imbi account.</p>
${error ? `<p class="error">${html(error)}</p>` : ""}
<form method="post" action="${html(pagePath(c))}/login">
<input type="hidden" name="q" value="${html(q)}"><input type="hidden" name="csrf" value="${html(csrfToken(c))}">
<label for="email">Email</label><input id="email" type="email" name="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<p class="muted">Or <a href="/login?return_to=${html(encodeURIComponent(`${pagePath(c)}?${q}`))}">sign in with the Imbi web app</a>.</p>`,
  );
}

function consentPage(c: Context<AppEnv>, q: string, r: AuthorizeRequest, email: string) {
  const host = new URL(r.redirectUri).host;
  const scopes = r.scopes
    .map((s) => `<li>${html(OAUTH_SCOPES[s]?.description ?? s)} <span class="muted">(${html(s)})</span></li>`)
    .join("");
  return page(
    c,
    200,
    "Authorize application",
    `<p><strong>${html(r.client.clientName)}</strong> (returns to <strong>${html(host)}</strong>) asks to access Imbi as <strong>${html(email)}</strong>. It will be able to:</p>
<ul>${scopes}</ul><p class="muted">For the resource ${html(r.resource)}. You can revoke this at any time (DELETE /api/users/me/authorizations/${html(r.client.clientId)}).</p>
<form method="post" action="${html(pagePath(c))}/consent">
<input type="hidden" name="q" value="${html(q)}"><input type="hidden" name="csrf" value="${html(csrfToken(c))}">
<button type="submit" name="decision" value="approve">Allow</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
    new URL(r.redirectUri).origin,
  );
}

/**
 * The signed-in user of these pages, set as the request's actor; null when none (or revoked). A
 * person signed in to the web app (its `imbi_access` cookie) is signed in here too: the web app's
 * login page sends them back with `return_to`, so its sign-in (and what it grows: SSO, second
 * factors) serves the authorization flow.
 */
async function signedIn(c: Context<AppEnv>): Promise<string | null> {
  for (const token of [getCookie(c, SESSION_COOKIE), getCookie(c, ACCESS_COOKIE)]) {
    if (!token) continue;
    try {
      const grant = await authenticateBearer(c.get("services"), token, { audience: publicBase(c).apiBase });
      // A person's login session only: never an API key or a token issued to a client.
      const m = grant.credential.method;
      if (grant.kind !== "user" || (m !== "password" && m !== "refresh")) continue;
      c.set("actor", credentialActor(grant, false));
      return grant.id;
    } catch {
      // An expired or revoked cookie: try the next, then show the sign-in form.
    }
  }
  return null;
}

/** Parses and checks the authorization request carried as a query string. */
async function check(c: Context<AppEnv>, q: string) {
  const params = Object.fromEntries(new URLSearchParams(q)) as Record<string, string | undefined>;
  const base = publicBase(c);
  return checkAuthorizeRequest(c.get("services"), params, { mcp: base.mcpResource, api: base.apiBase });
}

async function decide(c: Context<AppEnv>, q: string, r: AuthorizeRequest, approve?: boolean) {
  const email = await signedIn(c);
  if (!email) return loginPage(c, q, r);
  const outcome = await authorizeClient(ctxOf(c), { request: r, approve });
  if ("consent" in outcome) return consentPage(c, q, r, email);
  return c.redirect(outcome.redirect, approve === undefined ? 302 : 303);
}

/** GET /auth/authorize and its two form posts. */
export const authorizePages = createRouter();

authorizePages.get("/auth/authorize", async (c) => {
  const q = new URL(c.req.url).search.replace(/^\?/, "");
  const checked = await check(c, q);
  if ("page" in checked) return errorPage(c, checked.page);
  if ("redirect" in checked) return c.redirect(checked.redirect, 302);
  return decide(c, q, checked.ok);
});

authorizePages.post("/auth/authorize/login", async (c) => {
  const form = await c.req.parseBody();
  if (!csrfOk(c, form.csrf))
    return errorPage(
      c,
      "The form expired or was not sent by this page; start again from the application.",
      403,
    );
  const q = typeof form.q === "string" ? form.q : "";
  const checked = await check(c, q);
  if ("page" in checked) return errorPage(c, checked.page);
  if ("redirect" in checked) return c.redirect(checked.redirect, 303);
  const email = typeof form.email === "string" ? form.email.slice(0, 320) : "";
  const password = typeof form.password === "string" ? form.password.slice(0, 1024) : "";
  try {
    const { tokens } = await login(ctxOf(c), { email, password, client: clientMeta(c) });
    setCookie(c, SESSION_COOKIE, tokens.access_token, {
      httpOnly: true,
      sameSite: "Lax",
      secure: secure(c),
      path: pagePath(c),
      maxAge: tokens.expires_in,
    });
    return c.redirect(`${pagePath(c)}?${q}`, 303);
  } catch (e) {
    if (e instanceof DomainError && (e.code === "INVALID_CREDENTIALS" || e.code === "RATE_LIMITED"))
      return loginPage(c, q, checked.ok, e.message, e.code === "RATE_LIMITED" ? 429 : 401);
    throw e;
  }
});

authorizePages.post("/auth/authorize/consent", async (c) => {
  const form = await c.req.parseBody();
  if (!csrfOk(c, form.csrf))
    return errorPage(
      c,
      "The form expired or was not sent by this page; start again from the application.",
      403,
    );
  const q = typeof form.q === "string" ? form.q : "";
  const checked = await check(c, q);
  if ("page" in checked) return errorPage(c, checked.page);
  if ("redirect" in checked) return c.redirect(checked.redirect, 303);
  if (form.decision !== "approve" && form.decision !== "deny") return errorPage(c, "Choose Allow or Deny.");
  return decide(c, q, checked.ok, form.decision === "approve");
});
