import type { Context } from "hono";
import { apiPrefix } from "../env.ts";
import type { AppEnv } from "./app.ts";

// STAND-IN (MCP half of issue 11): the OAuth half owns this file and its final version (forwarded
// hosts from trusted proxies, the issuer). This one has the contract's signature so the /mcp door
// can build its `resource_metadata` URL and its Origin check; the lead keeps the OAuth version.

/** Where this installation is reachable, as the request names it when that is trusted. */
export interface PublicBase {
  /** `https://imbi.example.com`: the request's origin when trusted, else IMBI_API_URL's. */
  origin: string;
  /** The REST API's base URL: origin + the API prefix. */
  apiBase: string;
  /** The MCP server's resource URL (RFC 8707 / RFC 9728): origin + `/mcp`. */
  mcpResource: string;
  /** Whether the request's origin is a trusted one (IMBI_API_URL's or a CORS-allowed origin). */
  trusted: boolean;
}

/** The origins this installation answers as: IMBI_API_URL's and the CORS-allowed ones. */
export function trustedOrigins(env: AppEnv["Bindings"]): string[] {
  const configured = env.IMBI_API_URL ? [new URL(env.IMBI_API_URL).origin] : [];
  return [...configured, ...(env.IMBI_API_CORS_ALLOWED_ORIGINS ?? [])];
}

/** The public base of the request: derived from its host only when that host is trusted. */
export function publicBase(c: Context<AppEnv>): PublicBase {
  const requestOrigin = new URL(c.req.url).origin;
  const trusted = trustedOrigins(c.env).includes(requestOrigin);
  const origin = trusted || !c.env.IMBI_API_URL ? requestOrigin : new URL(c.env.IMBI_API_URL).origin;
  return { origin, apiBase: origin + apiPrefix(c.env), mcpResource: `${origin}/mcp`, trusted };
}
