import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "./app.ts";

// Per-key usage counts (issue 10): after the response of every request an API key authenticated,
// one row goes to the analytics store's `api_key_usage`, in the background. Counting is an HTTP-door
// concern (the route template and status exist only here); it never delays or fails the request.

/** Hono's registered path (`/api/projects/:id`, `:id{re}`) as the OpenAPI template (`/api/projects/{id}`). */
export function openApiTemplate(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Records one usage row per request authenticated by an API key. */
export const apiKeyUsage = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  const actor = c.get("actor");
  if (actor?.credential.method !== "api_key" || !METHODS.has(c.req.method)) return;
  const services = c.get("services");
  const keyId = actor.credential.keyId;
  // After the chain, the route index is the handler that answered (not another route matching the path).
  const route = openApiTemplate(routePath(c)) || "unknown";
  const day = new Date().toISOString().slice(0, 10);
  services.background(
    services.analytics
      .insert("api_key_usage", [
        { key_id: keyId, day, route, method: c.req.method as "GET", status: c.res.status, requests: 1 },
      ])
      .then((r) => {
        if (r.err) services.log.warn("api key usage write failed", { key: keyId, error: r.err.message });
      })
      .catch((e: unknown) =>
        services.log.warn("api key usage write failed", { key: keyId, error: String(e) }),
      ),
  );
};
