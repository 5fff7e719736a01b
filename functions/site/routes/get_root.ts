import { createRoute, z } from "@hono/zod-openapi";
import { accepts } from "hono/accepts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { VERSION } from "../../../lib/version.ts";
import { DESCRIPTION, landingPage, loginHelp, pageHeaders, publicOrigin, siteLinks } from "../pages.ts";
import { RootSchema } from "../schemas.ts";

// The one place that decides what `/` serves. When the web app ships, its index.html replaces
// the HTML answer here; API clients keep the JSON one.
export const route = createRoute({
  operationId: "getRoot",
  method: "get",
  path: "/",
  tags: ["status"],
  summary: "What this host is, and where to go next",
  description:
    "Browsers (`Accept: text/html`) get a page describing Imbi with links to the documentation and how to " +
    "log in; every other client gets the same as JSON.",
  // Public and stateless: no verb (nothing to authorize or read), so the stamp is spelled out.
  security: [],
  "x-imbi-permission": [],
  "x-imbi-access": "public",
  middleware: [pageHeaders] as const,
  responses: {
    200: {
      description: "The landing page",
      content: {
        "application/json": { schema: RootSchema },
        "text/html": { schema: z.string().openapi({ description: "The landing page for browsers" }) },
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
