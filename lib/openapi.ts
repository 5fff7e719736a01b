import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "./app.ts";

/** A route handler typed by its route object (W3's AppRouteHandler). */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
