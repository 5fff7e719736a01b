import type { MiddlewareHandler } from "hono";
import { ApiError } from "./problem.ts";

/**
 * Rejects a body that is not JSON with 415 before validation, so a form post or a missing
 * Content-Type gets an actionable answer instead of an empty-body validation error.
 */
export function requireJsonBody(accept: readonly string[] = ["application/json"]): MiddlewareHandler {
  return async (c, next) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!accept.includes(type))
      throw new ApiError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        detail: `Send the body as ${accept.join(" or ")} (got ${type || "no Content-Type"}).`,
      });
    await next();
  };
}
