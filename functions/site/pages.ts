// The two HTML pages of the API host: `/` (what this is, where to go next) and `/docs` (Swagger UI
// from the pinned, self-served swagger-ui-dist). Neither loads anything from another origin, and
// both run under a Content-Security-Policy that allows only this origin plus the one inline
// script/style block that carries the request's nonce.
import type { MiddlewareHandler } from "hono";
import { html, raw } from "hono/html";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { apiPrefix, type Env } from "../../lib/env.ts";
import type { AppEnv } from "../../lib/http/app.ts";
import { assetUrl, swaggerUiAssets } from "../../lib/static_assets.ts";
import type { RootLinksSchema } from "./schemas.ts";

type Links = typeof RootLinksSchema._output;

/** One sentence on what Imbi is, shared by the HTML and JSON answers of `/`. */
export const DESCRIPTION =
  "Imbi is a DevOps service-management platform: the source of truth for an organization's services, " +
  "who owns them, how they depend on one another, where they are deployed and how healthy they are. " +
  "This host serves its HTTP API.";

/** The links `/` offers, under the configured API prefix. */
export function siteLinks(env: Pick<Env, "IMBI_API_URL">): Links {
  const prefix = apiPrefix(env);
  return {
    docs: "/docs",
    openapi: "/openapi.json",
    liveness: "/status",
    readiness: `${prefix}/status`,
    login: `${prefix}/auth/login`,
  };
}

/** Plain-text login instructions (the JSON answer's `login_help`). */
export function loginHelp(links: Links): string {
  return (
    `POST {"email", "password"} as JSON to ${links.login}; send the returned access_token as ` +
    "`Authorization: Bearer <token>`. The first administrator (IMBI_ADMIN_EMAIL, default admin@imbi.local) " +
    "is created by the first `imbi serve` or `imbi setup`, which prints its generated password once " +
    "(or uses IMBI_ADMIN_PASSWORD); `imbi create-admin --email <email>` creates another or resets a password."
  );
}

/**
 * The origin to show in examples: IMBI_API_URL's when it is absolute (the public address behind a
 * proxy), else the one the request came in on.
 */
export function publicOrigin(env: Pick<Env, "IMBI_API_URL">, requestUrl: string): string {
  if (/^https?:\/\//i.test(env.IMBI_API_URL)) return new URL(env.IMBI_API_URL).origin;
  return new URL(requestUrl).origin;
}

/**
 * Security headers for the pages: a CSP that allows scripts, styles, images and requests from this
 * origin only (inline code only with the per-request nonce), no framing, no referrer, nosniff.
 * `no-store` because every response carries a fresh nonce.
 */
export const pageHeaders: MiddlewareHandler<AppEnv> = (() => {
  const secure = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: ["'self'", NONCE],
      // Swagger UI's stylesheet draws its icons as data: SVGs.
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
  });
  return async (c, next) => {
    await secure(c, next);
    c.header("Cache-Control", "no-store");
  };
})();

// STYLE and SWAGGER_INIT are constants of this module, inserted with raw(); every other value in
// the templates (links from configuration, the request's origin) is escaped by html``.
const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { margin-bottom: 0; } .version { color: GrayText; margin-top: 0; }
  pre { padding: .75rem; overflow-x: auto; border: 1px solid GrayText; border-radius: 4px; }
  code, pre { font-family: ui-monospace, monospace; font-size: .9em; }
  li { margin: .25rem 0; }
`;

/** The landing page at `/`. */
export function landingPage(o: { links: Links; origin: string; version: string; nonce: string }) {
  const { links, origin } = o;
  const curl =
    `curl -s -X POST ${origin}${links.login} \\\n` +
    `  -H 'Content-Type: application/json' \\\n` +
    `  -d '{"email": "admin@imbi.local", "password": "…"}'`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Imbi API</title>
<link rel="icon" type="image/png" href="${assetUrl(swaggerUiAssets, "favicon-32x32.png")}">
<style nonce="${o.nonce}">${raw(STYLE)}</style>
</head>
<body>
<h1>Imbi</h1>
<p class="version">API version ${o.version}</p>
<p>${DESCRIPTION}</p>
<h2>Where to go</h2>
<ul>
<li><a href="${links.docs}">API documentation</a> (Swagger UI): every operation, with “Try it out”.</li>
<li><a href="${links.openapi}">OpenAPI document</a> (<code>${links.openapi}</code>): for client generators.</li>
<li><a href="${links.readiness}">Readiness</a> (<code>${links.readiness}</code>): whether every store answers;
<a href="${links.liveness}">liveness</a> (<code>${links.liveness}</code>): whether the process answers.</li>
</ul>
<h2>How to log in</h2>
<p>Post an email and password to <code>${links.login}</code>:</p>
<pre><code>${curl}</code></pre>
<p>Send the <code>access_token</code> from the answer as <code>Authorization: Bearer &lt;token&gt;</code>
(in Swagger UI: <em>Authorize</em>). The login also sets HttpOnly cookies for browsers.</p>
<p>The first administrator is created on the first start of <code>imbi serve</code> (or by <code>imbi setup</code>):
its email is <code>IMBI_ADMIN_EMAIL</code> (default <code>admin@imbi.local</code>), and its password is
<code>IMBI_ADMIN_PASSWORD</code> or, when that is unset, generated and printed once by that first start.
<code>imbi create-admin --email &lt;email&gt;</code> creates another administrator or resets a password.</p>
</body>
</html>
`;
}

// Validator off: Swagger UI would otherwise send the document to validator.swagger.io.
const SWAGGER_INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
});`;

/** Swagger UI at `/docs`: the self-served bundle and stylesheet, started on /openapi.json. */
export function docsPage(o: { nonce: string }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Imbi API — Swagger UI</title>
<link rel="stylesheet" href="${assetUrl(swaggerUiAssets, "swagger-ui.css")}">
<link rel="icon" type="image/png" href="${assetUrl(swaggerUiAssets, "favicon-32x32.png")}" sizes="32x32">
<link rel="icon" type="image/png" href="${assetUrl(swaggerUiAssets, "favicon-16x16.png")}" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetUrl(swaggerUiAssets, "swagger-ui-bundle.js")}"></script>
<script nonce="${o.nonce}">${raw(SWAGGER_INIT)}</script>
</body>
</html>
`;
}
