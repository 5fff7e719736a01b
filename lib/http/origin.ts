import type { Context } from "hono";
import { NO_TRUSTED_PROXIES, normalizeIp } from "../client_ip.ts";
import { apiPrefix } from "../env.ts";
import type { Bindings } from "./app.ts";

/** The public addresses of this installation as one request should see them (issue 11, multi-host). */
export interface PublicBase {
  /** `https://imbi.example.com`: the issuer of OAuth metadata and the origin of every URL below. */
  origin: string;
  /** `<origin><prefix>`, e.g. `https://imbi.example.com/api`: the REST API's base and its RFC 8707 resource. */
  apiBase: string;
  /** `<origin>/mcp`: the MCP server's RFC 8707 resource (the default `aud` of OAuth access tokens). */
  mcpResource: string;
  /** True when `origin` is the request's own and one of the configured trusted origins. */
  trusted: boolean;
}

/** The origin of an absolute `http(s)` URL, or null (a relative IMBI_API_URL such as `/api`). */
function originOf(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The origin the client used: the request URL's (the Host header on Node, the edge's on Workers),
 * or, when the socket peer is a trusted proxy (`IMBI_API_FORWARDED_ALLOW_IPS`), the proxy's
 * `X-Forwarded-Proto` / `X-Forwarded-Host` (first values: the proxy nearest the client wrote them).
 * Null when the headers do not make a URL.
 */
function requestOrigin(c: Context): string | null {
  const env = c.env as Partial<Bindings> | undefined;
  const url = new URL(c.req.url);
  let proto = url.protocol.replace(/:$/, "");
  let host = url.host;
  const peer = normalizeIp(env?.IMBI_CLIENT_IP ?? c.req.header("cf-connecting-ip") ?? "");
  const proxies = env?.IMBI_API_FORWARDED_ALLOW_IPS ?? NO_TRUSTED_PROXIES;
  if (!proxies.none && proxies.trusts(peer)) {
    const fProto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
    const fHost = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
    if (fProto === "http" || fProto === "https") proto = fProto;
    if (fHost) host = fHost;
  }
  return originOf(`${proto}://${host}`);
}

/**
 * The origins this installation answers as (IMBI_API_URL's and the CORS-allowed ones): the only
 * request origins `publicBase` believes, and the browser Origins the MCP door accepts.
 */
export function trustedOrigins(env: Partial<Bindings> | undefined): string[] {
  return [
    originOf(env?.IMBI_API_URL ?? ""),
    ...(env?.IMBI_API_CORS_ALLOWED_ORIGINS ?? []).map(originOf),
  ].filter((o): o is string => o !== null);
}

/**
 * The public base URL of this request, for OAuth metadata (issuer, endpoints), RFC 8707 resources
 * and the MCP `WWW-Authenticate` hint. The request's own origin is used only when it is trusted:
 * IMBI_API_URL's origin or one of IMBI_API_CORS_ALLOWED_ORIGINS (so one installation answers on
 * several host names). Any other Host falls back to IMBI_API_URL's origin, so a forged Host header
 * can never make Imbi advertise an attacker's issuer or token endpoint. With no absolute
 * IMBI_API_URL configured (development), the request origin is used with `trusted: false`.
 */
export function publicBase(c: Context): PublicBase {
  const env = c.env as Partial<Bindings> | undefined;
  const configured = originOf(env?.IMBI_API_URL ?? "");
  const fromRequest = requestOrigin(c);
  const trusted = fromRequest !== null && trustedOrigins(env).includes(fromRequest);
  const origin = trusted ? fromRequest : (configured ?? fromRequest ?? new URL(c.req.url).origin);
  return {
    origin,
    apiBase: `${origin}${apiPrefix({ IMBI_API_URL: env?.IMBI_API_URL ?? "" })}`,
    mcpResource: `${origin}/mcp`,
    trusted,
  };
}
