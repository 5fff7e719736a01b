import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./app.ts";
import { apiPrefix } from "./env.ts";
import { ApiError, zodFieldErrors } from "./errors.ts";
import { etagOf } from "./etag.ts";
import { applyJsonPatch, type JsonPatch, JsonPatchSchema } from "./json_patch.ts";

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

/**
 * Applies `patch` to `current` (paths in `readOnly` → 400, failed test → 422), then checks that
 * the writable fields still have the right shape: a removed, mistyped or unknown field → 400.
 */
export function patchFields<S extends z.ZodObject>(
  current: object,
  patch: JsonPatch,
  readOnly: readonly string[],
  writable: S,
): z.infer<S> {
  const next: Record<string, unknown> = applyJsonPatch(
    { ...current },
    patch,
    readOnly.map((k) => `/${k}`),
  );
  const fields = Object.fromEntries(Object.entries(next).filter(([k]) => !readOnly.includes(k)));
  const parsed = writable.strict().safeParse(fields);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error, "json");
    throw new ApiError({
      code: "VALIDATION_FAILED",
      detail: `The patched resource is invalid: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    });
  }
  return parsed.data as z.infer<S>;
}

/**
 * Like {@link patchFields} for a resource with blueprint attributes: the keys of `writable` are
 * its core fields (checked strictly), every other key that is not read-only is an attribute,
 * returned for checking against the blueprints. `previous` lists the attributes it had before.
 */
export function patchFieldsAndAttributes<S extends z.ZodObject>(
  current: object,
  patch: JsonPatch,
  readOnly: readonly string[],
  writable: S,
): { fields: z.infer<S>; attributes: { values: Record<string, unknown>; previous: string[] } } {
  const core = new Set([...Object.keys(writable.shape), ...readOnly]);
  const attributesOf = (doc: object) =>
    Object.fromEntries(Object.entries(doc).filter(([k, v]) => !core.has(k) && v !== undefined));
  const next: Record<string, unknown> = applyJsonPatch(
    { ...current },
    patch,
    readOnly.map((k) => `/${k}`),
  );
  const values = attributesOf(next);
  const fields = patchFields(
    Object.fromEntries(Object.entries(next).filter(([k]) => core.has(k))),
    [],
    readOnly,
    writable,
  );
  return { fields, attributes: { values, previous: Object.keys(attributesOf(current)) } };
}

/** Sets the ETag header of a single-resource response and returns the body unchanged. */
export async function withEtag<T>(c: Context<AppEnv>, body: T): Promise<T> {
  c.header("ETag", await etagOf(body));
  return body;
}

/** The absolute path of a resource under the API prefix, for `Location`. */
export const locationOf = (c: Context<AppEnv>, ...segments: string[]) =>
  `${apiPrefix(c.env)}/${segments.map(encodeURIComponent).join("/")}`;

/** Decodes a list cursor and checks the keys it must hold; a tampered one is a 400. */
export function cursorKey<K extends string>(
  cursor: Record<string, string | number> | null,
  shape: Record<K, "string" | "number">,
): Record<K, string | number> | null {
  if (!cursor) return null;
  for (const [k, t] of Object.entries(shape)) {
    if (typeof cursor[k] !== t)
      throw new ApiError({
        code: "BAD_REQUEST",
        detail: "The cursor is invalid; use next_cursor from a previous page unchanged.",
      });
  }
  return cursor as Record<K, string | number>;
}
