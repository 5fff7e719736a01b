import type { z } from "zod";
import { DomainError, zodFieldErrors } from "../errors.ts";
import { applyJsonPatch, type JsonPatch } from "../json_patch.ts";

// Applying a JSON Patch to a resource and checking what comes out, for every verb that patches.

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
    throw new DomainError(
      "VALIDATION_FAILED",
      `The patched resource is invalid: ${errors.map((e) => `${e.location}: ${e.message}`).join("; ")}`,
      errors,
    );
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
