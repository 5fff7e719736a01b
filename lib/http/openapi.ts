import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import { type Access, accessStamp, type Verb } from "../core/verb.ts";
import type { AppEnv } from "./app.ts";

/** A route handler typed by its route object (W3's AppRouteHandler). */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

/**
 * JSON Schema keywords for `.openapi()` metadata that its type does not list (`allOf`, `oneOf`,
 * `propertyNames` …): the generator copies them into the document as they are. Used where a rule
 * checked in code is also stated in the document.
 */
export const schemaKeywords = (keywords: Record<string, unknown>) => keywords as Record<string, never>;

/**
 * The route-object fields that come from a verb's access rule, spread into `createRoute`: its
 * security requirement (none for public verbs; route guards authenticate the rest before validating)
 * and the `x-imbi-permission` / `x-imbi-access` stamps. One declaration — the verb's — for the
 * check and the document.
 */
export function verbAccess(verb: Pick<Verb<never, unknown>, "access">): {
  security: { bearer: string[] }[];
  "x-imbi-permission": string[];
  "x-imbi-access": Access["scope"];
} {
  return { security: verb.access.scope === "public" ? [] : [{ bearer: [] }], ...accessStamp(verb) };
}
