import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { apiPrefix } from "../env.ts";
import { etagOf } from "../etag.ts";
import { JsonPatchSchema } from "../json_patch.ts";
import type { AppEnv } from "./app.ts";

// Route helpers shared by every group: JSON Patch bodies, conditional writes, ETags, Location.

/** A JSON Patch body, accepted as `application/json-patch+json` and as plain `application/json`. */
export const jsonPatchBody = (description: string) => ({
  description,
  required: true,
  content: {
    "application/json-patch+json": { schema: JsonPatchSchema },
    "application/json": { schema: JsonPatchSchema },
  },
});

/** The conditional-write header of PATCH routes. */
export const IfMatchHeaderSchema = z.object({
  "if-match": z
    .string()
    .max(1024)
    .optional()
    .openapi({ description: "ETag from a previous GET; 412 when it no longer matches", example: '"3q2-7w"' }),
});

/** Sets the ETag header of a single-resource response and returns the body unchanged. */
export async function withEtag<T>(c: Context<AppEnv>, body: T): Promise<T> {
  c.header("ETag", await etagOf(body));
  return body;
}

/** The absolute path of a resource under the API prefix, for `Location`. */
export const locationOf = (c: Context<AppEnv>, ...segments: string[]) =>
  `${apiPrefix(c.env)}/${segments.map(encodeURIComponent).join("/")}`;
