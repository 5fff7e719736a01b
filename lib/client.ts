import type { Context } from "hono";
import type { ClientMeta } from "./auth/tokens.ts";

/**
 * The client's address: Cloudflare's `CF-Connecting-IP` on Workers, or `X-Imbi-Client-Ip`, which the
 * Node host overwrites with the socket's peer address (so a client cannot spoof it).
 */
export function clientMeta(c: Context): ClientMeta {
  const raw = c.req.header("cf-connecting-ip") ?? c.req.header("x-imbi-client-ip") ?? "";
  const ip = raw.startsWith("::ffff:") ? raw.slice(7) : raw;
  return {
    ip: /^[0-9a-fA-F:.]{2,45}$/.test(ip) ? ip : "",
    userAgent: (c.req.header("user-agent") ?? "").slice(0, 512),
  };
}
