// The web app's pages (apps/web, docs/web.md): `/` for browsers, `/login` and every screen under
// `/o/…` answer the app's index.html, read through the ASSETS binding (the Node host's copy of
// dist/web, or Workers static assets) — so deep links and the back button work on every host.
// Each answer carries a fresh CSP nonce, handed to the app in a meta tag: the component library
// inserts a few <style> elements at run time (scroll locking in dialogs), and only styles with the
// nonce may apply. Nothing else is inline; scripts, styles, the graph layout worker and fonts all
// come from this origin.
import type { Context, MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../lib/http/app.ts";
import { ApiError } from "../../lib/http/problem.ts";
import { webApp } from "../../lib/static_assets.ts";

/** The security headers of an app page. */
export const appPageHeaders: MiddlewareHandler<AppEnv> = (() => {
  const secure = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", NONCE],
      imgSrc: ["'self'", "data:", "blob:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    referrerPolicy: "same-origin",
  });
  return async (c, next) => {
    await secure(c, next);
    // The nonce differs per answer: never reuse one.
    c.header("Cache-Control", "no-store");
  };
})();

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The app's index.html with the request's nonce, or undefined when the app is not built (the
 * caller then answers what it would without it).
 */
export async function appPage(c: Context<AppEnv>): Promise<Response | undefined> {
  const assets = c.env.ASSETS;
  if (!assets || !c.env.IMBI_WEB_APP) return undefined;
  const res = await assets.fetch(new Request(new URL(webApp.index, c.req.url)));
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  const nonce = c.get("secureHeadersNonce") ?? "";
  const html = (await res.text()).replace(
    "</head>",
    `  <meta name="csp-nonce" content="${escapeAttr(nonce)}" />\n  </head>`,
  );
  return c.html(html, 200);
}

/** `GET /login`, `GET /o/*`: the app, or a pointer to how to build it; 404 with IMBI_WEB_APP=false. */
export const appRouteHandler = async (c: Context<AppEnv>): Promise<Response> => {
  if (!c.env.IMBI_WEB_APP)
    throw new ApiError({
      code: "NOT_FOUND",
      detail: "The web app is turned off on this host (IMBI_WEB_APP=false); the API is documented at /docs.",
    });
  const page = await appPage(c);
  if (page) return page;
  return c.html(
    "<!doctype html><title>Imbi</title><p>The web app is not built on this host. Run <code>npm run build:web</code> " +
      'and restart, or use the API (<a href="/docs">/docs</a>).</p>',
    503,
  );
};

/** The paths the app owns (besides `/`, which getRoot shares with API clients). */
export const appPaths = ["/login", "/o", "/o/*"] as const;
