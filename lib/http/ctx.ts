import type { Context } from "hono";
import { ANONYMOUS } from "../core/actor.ts";
import { type Ctx, createCtx } from "../core/ctx.ts";
import type { AppEnv } from "./app.ts";

/**
 * The verb context of an HTTP request: its services, the authenticated actor (anonymous on public
 * routes), their grants and the organization of the path, resolved once by authentication. Built
 * on first use and kept on the request.
 */
export function ctxOf(c: Context<AppEnv>): Ctx {
  const existing = c.get("ctx");
  if (existing) return existing;
  const ctx = createCtx({
    services: c.get("services"),
    actor: c.get("actor") ?? ANONYMOUS,
    grants: c.get("grants"),
    org: c.get("org") ?? null,
    requestId: c.get("requestId"),
  });
  c.set("ctx", ctx);
  return ctx;
}
