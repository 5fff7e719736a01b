import type { Context } from "hono";
import type { ClientMeta } from "./auth/tokens.ts";

/**
 * The client's address: the socket peer the Node host passes in the bindings, else Cloudflare's
 * `CF-Connecting-IP` (set by Cloudflare's edge on Workers). Client-sent forwarding headers are not
 * trusted.
 */
export function clientMeta(c: Context): ClientMeta {
  const raw =
    (c.env as { IMBI_CLIENT_IP?: string } | undefined)?.IMBI_CLIENT_IP ??
    c.req.header("cf-connecting-ip") ??
    "";
  const ip = raw.startsWith("::ffff:") ? raw.slice(7) : raw;
  return {
    ip: /^[0-9a-fA-F:.]{2,45}$/.test(ip) ? ip : "",
    userAgent: (c.req.header("user-agent") ?? "").slice(0, 512),
  };
}
