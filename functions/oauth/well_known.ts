import type { Context } from "hono";
import type { AppEnv } from "../../lib/http/app.ts";
import { createRouter } from "../../lib/http/app.ts";
import { publicBase } from "../../lib/http/origin.ts";
import { SCOPE_NAMES } from "../../lib/oauth/scopes.ts";

// RFC 8414 and RFC 9728 metadata, at the host root whatever the API prefix (clients look there).
// Plain routes outside the OpenAPI document, like /docs: they are standard documents, not the API.
// Every URL comes from publicBase(c), so a forged Host header cannot name another issuer.

function authorizationServer(c: Context<AppEnv>) {
  const { origin, apiBase } = publicBase(c);
  return {
    issuer: origin,
    authorization_endpoint: `${apiBase}/auth/authorize`,
    token_endpoint: `${apiBase}/auth/token`,
    ...(c.env.IMBI_AUTH_DCR_ENABLED ? { registration_endpoint: `${apiBase}/auth/register` } : {}),
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: [
      "none",
      "client_secret_basic",
      "client_secret_post",
      "private_key_jwt",
    ],
    token_endpoint_auth_signing_alg_values_supported: ["EdDSA", "ES256"],
    scopes_supported: SCOPE_NAMES,
    service_documentation: `${origin}/docs`,
  };
}

function protectedResource(c: Context<AppEnv>, resource: "mcp" | "api") {
  const base = publicBase(c);
  return {
    resource: resource === "mcp" ? base.mcpResource : base.apiBase,
    authorization_servers: [base.origin],
    scopes_supported: SCOPE_NAMES,
    bearer_methods_supported: ["header"],
    resource_name: resource === "mcp" ? "Imbi MCP server" : "Imbi API",
  };
}

// Public metadata: cacheable for a short while, readable from any origin (browser-based clients).
const HEADERS = { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" };

/** The well-known metadata documents of the authorization server and its protected resources. */
export const oauthWellKnown = createRouter();
oauthWellKnown.get("/.well-known/oauth-authorization-server", (c) =>
  c.json(authorizationServer(c), 200, HEADERS),
);
// The root document describes the MCP server too: clients that ignore the WWW-Authenticate hint
// fall back to it, and the resource they then request must be one tokens are issued for.
oauthWellKnown.get("/.well-known/oauth-protected-resource", (c) =>
  c.json(protectedResource(c, "mcp"), 200, HEADERS),
);
oauthWellKnown.get("/.well-known/oauth-protected-resource/mcp", (c) =>
  c.json(protectedResource(c, "mcp"), 200, HEADERS),
);
// RFC 9728 §3.1: the REST API's document sits at the well-known path followed by its own path.
oauthWellKnown.get("/.well-known/oauth-protected-resource/*", (c) => {
  const base = publicBase(c);
  const suffix = new URL(c.req.url).pathname.slice("/.well-known/oauth-protected-resource".length);
  if (`${base.origin}${suffix}` !== base.apiBase) return c.notFound();
  return c.json(protectedResource(c, "api"), 200, HEADERS);
});
