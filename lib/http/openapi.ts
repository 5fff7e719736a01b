import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "./app.ts";

/** A route handler typed by its route object (W3's AppRouteHandler). */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/**
 * JSON Schema keywords for `.openapi()` metadata that its type does not list (`allOf`, `oneOf`,
 * `propertyNames` …): the generator copies them into the document as they are. Used where a rule
 * checked in code is also stated in the document.
 */
export const schemaKeywords = (keywords: Record<string, unknown>) => keywords as Record<string, never>;
