import type { Handler } from "hono";
import type { AppEnv } from "../../../lib/http/app.ts";
import { ApiError } from "../../../lib/http/problem.ts";

/**
 * `GET /static/*`: a file of lib/static_assets.ts through the ASSETS binding. On Workers the
 * static-assets layer answers existing files before the Worker runs, so only misses get here; on
 * Node the host's binding serves them (apps/node/assets.ts).
 */
export const path = "/static/*";

export const handler: Handler<AppEnv> = async (c) => {
  const res = await c.env.ASSETS?.fetch(c.req.raw);
  if (!res || res.status === 404)
    throw new ApiError({ code: "NOT_FOUND", detail: `No static file at ${new URL(c.req.url).pathname}.` });
  // A copy: responses from a binding have immutable headers, and the middleware adds some.
  return new Response(res.body, res);
};
