import type { RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { RouterRoute } from "hono/types";
import type { AppEnv } from "./app.ts";
import { authenticateRequest } from "./auth.ts";
import { ApiError, problemResponse } from "./problem.ts";

// What every route gets before its own validators run, added once by `createRouter`: the caller is
// authenticated first (an anonymous request learns nothing about the input's shape — 401 before
// 400), then the body's media type is checked with a message naming the accepted types.

const mediaType = (header: string | undefined) => (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** True when the route declares a security requirement (every route except login, refresh, status). */
const needsAuth = (route: RouteConfig) =>
  (route.security ?? [{ bearer: [] }]).some((req) => Object.keys(req).length > 0);

const authenticateFirst: MiddlewareHandler<AppEnv> = async (c, next) => {
  await authenticateRequest(c);
  await next();
};

/** 415 naming the accepted media types (and what was sent) before zod sees the body. */
function mediaTypeGate(accepted: string[], required: boolean): MiddlewareHandler<AppEnv> {
  const list = accepted.join(" or ");
  return async (c, next) => {
    const type = mediaType(c.req.header("content-type"));
    const hasBody = type !== "" || (c.req.header("content-length") ?? "0") !== "0";
    if (type === "" && !hasBody && !required) return next();
    if (!accepted.includes(type))
      throw new ApiError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        detail: `This operation takes a ${list} body; send it with 'Content-Type: ${accepted[0]}' (got ${
          type ? `'${type}'` : "no Content-Type"
        }).`,
      });
    await next();
  };
}

/** The route with the guards every operation needs in front of its own middleware. */
export function guardRoute<R extends RouteConfig>(route: R): R {
  const guards: MiddlewareHandler<AppEnv>[] = [];
  if (needsAuth(route)) guards.push(authenticateFirst);
  const content = route.request?.body?.content;
  if (content && Object.keys(content).length > 0)
    guards.push(mediaTypeGate(Object.keys(content), route.request?.body?.required === true));
  if (guards.length === 0) return route;
  const own = route.middleware
    ? Array.isArray(route.middleware)
      ? route.middleware
      : [route.middleware]
    : [];
  return { ...route, middleware: [...guards, ...own] };
}

interface MethodPattern {
  method: string;
  pattern: RegExp;
}

// Hono's path syntax as registered: `/api/organizations/:org/projects/:id`, plus `*` wildcards.
const toPattern = (path: string): RegExp =>
  new RegExp(
    `^${path
      .replace(/\/+$/, "")
      .split("/")
      .map((seg) =>
        seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/")}/?$`,
  );

/**
 * The methods a path answers to, from the app's registered routes (middleware, registered for
 * every method, does not count). Built once per route table; the table is constant after startup.
 */
export function allowedMethods(routes: readonly RouterRoute[]): (path: string) => string[] {
  let table: MethodPattern[] | undefined;
  let size = -1;
  return (path) => {
    if (!table || size !== routes.length) {
      table = routes
        .filter((r) => r.method !== "ALL")
        .map((r) => ({ method: r.method, pattern: toPattern(r.path) }));
      size = routes.length;
    }
    const methods = new Set(table.filter((t) => t.pattern.test(path)).map((t) => t.method));
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}

/** The 404/405 answer for a request no route handled (405 carries `Allow`). */
export function noRoute(c: Context<AppEnv>, allowed: string[]): Response {
  const path = new URL(c.req.url).pathname;
  if (allowed.length > 0 && !allowed.includes(c.req.method))
    return problemResponse(
      c,
      "METHOD_NOT_ALLOWED",
      `${c.req.method} is not supported on ${path}; use ${allowed.join(", ")}.`,
      undefined,
      { Allow: allowed.join(", ") },
    );
  return problemResponse(c, "NOT_FOUND", `No route for ${c.req.method} ${path}.`);
}
