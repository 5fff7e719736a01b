import { createRoute, z } from "@hono/zod-openapi";
import { accepts } from "hono/accepts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { VERSION } from "../../../lib/version.ts";
import { appPage } from "../app_page.ts";
import { DESCRIPTION, landingPage, loginHelp, pageHeaders, publicOrigin, siteLinks } from "../pages.ts";
import { RootSchema } from "../schemas.ts";

// The one place that decides what `/` serves: browsers get the web app (its index.html), or the
// landing page when the app is not built on this host; API clients get JSON.
export const route = createRoute({
  operationId: "getRoot",
  method: "get",
  path: "/",
  tags: ["status"],
  summary: "What this host is, and where to go next",
  description:
    "Browsers (`Accept: text/html`) get the web app; every other client gets a description of Imbi with " +
    "links to the documentation and how to log in, as JSON.",
  // Public and stateless: no verb (nothing to authorize or read), so the stamp is spelled out.
  security: [],
  "x-imbi-permission": [],
  "x-imbi-access": "public",
  middleware: [pageHeaders] as const,
  responses: {
    200: {
      description: "The web app for browsers; what this host is, as JSON, for every other client",
      content: {
        "application/json": { schema: RootSchema },
        "text/html": {
          schema: z.string().openapi({
            description:
              "The web app's page (or, when the app is not built on this host, a page linking to the API documentation)",
          }),
        },
      },
    },
    500: openApiErrorResponses[500],
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const links = siteLinks(c.env);
  // The answer depends on Accept, so caches must key on it.
  c.header("Vary", "Accept");
  const type = accepts(c, {
    header: "Accept",
    supports: ["application/json", "text/html"],
    default: "application/json",
  });
  if (type === "text/html") {
    const app = await appPage(c);
    if (app) return app as never;
    const origin = publicOrigin(c.env, c.req.url);
    const nonce = c.get("secureHeadersNonce") ?? "";
    return c.html(await landingPage({ links, origin, version: VERSION, nonce }), 200);
  }
  return c.json(
    {
      name: "Imbi" as const,
      description: DESCRIPTION,
      version: VERSION,
      links,
      login_help: loginHelp(links),
    },
    200,
  );
};
