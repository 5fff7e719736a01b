import type { Context } from "hono";
import type { ClientMeta } from "../auth/tokens.ts";
import { NO_TRUSTED_PROXIES, resolveClientIp } from "../client_ip.ts";
import type { Bindings } from "./app.ts";

/**
 * The client's address and user agent, the one source for rate-limit keys, audit rows and sessions.
 *
 * The peer is the socket address the Node host passes in the bindings (`IMBI_CLIENT_IP`), else, on
 * Workers, Cloudflare's `CF-Connecting-IP` (the edge overwrites any client-sent value). Forwarding
 * headers (`X-Forwarded-For`, `Forwarded`) count only when that peer is in
 * `IMBI_API_FORWARDED_ALLOW_IPS` (lib/client_ip.ts); by default they are ignored.
 */
export function clientMeta(c: Context): ClientMeta {
  const env = c.env as Partial<Bindings> | undefined;
  const peer = env?.IMBI_CLIENT_IP ?? c.req.header("cf-connecting-ip") ?? "";
  return {
    ip: resolveClientIp(peer, c.req.raw.headers, env?.IMBI_API_FORWARDED_ALLOW_IPS ?? NO_TRUSTED_PROXIES),
    userAgent: (c.req.header("user-agent") ?? "").slice(0, 512),
  };
}
