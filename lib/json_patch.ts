import { z } from "@hono/zod-openapi";
import jsonpatch, { type Operation } from "fast-json-patch";
import { DomainError } from "./errors.ts";

/** One RFC 6902 operation. */
export const JsonPatchOperationSchema = z
  .object({
    op: z
      .enum(["add", "remove", "replace", "move", "copy", "test"])
      .openapi({ description: "Operation", example: "replace" }),
    path: z.string().openapi({ description: "JSON Pointer to the target", example: "/display_name" }),
    from: z.string().optional().openapi({ description: "Source pointer for move/copy", example: "/old" }),
    value: z
      .unknown()
      .optional()
      .openapi({ description: "Value for add/replace/test", example: "Ada Lovelace" }),
  })
  .strict()
  .openapi("JsonPatchOperation");

/** A JSON Patch document (RFC 6902). */
export const JsonPatchSchema = z
  .array(JsonPatchOperationSchema, {
    // The usual mistake is sending the changed object itself; show what a patch looks like.
    error: (issue) =>
      issue.code === "invalid_type"
        ? 'The body must be a JSON Patch document (RFC 6902): an array of operations, e.g. [{"op": "replace", "path": "/name", "value": "New name"}]'
        : undefined,
  })
  .min(1)
  .max(100)
  .openapi("JsonPatch", { description: "RFC 6902 operations applied in order, atomically" });
export type JsonPatch = z.infer<typeof JsonPatchSchema>;

const ALWAYS_READ_ONLY = ["/id", "/created_at", "/updated_at"];

/**
 * Applies a patch to a copy of `doc`. Paths under `readOnly` (plus id/created_at/updated_at) → 400;
 * a failed `test` → 422; an invalid pointer → 400. The caller validates the result's shape.
 */
export function applyJsonPatch<T extends object>(
  doc: T,
  patch: JsonPatch,
  readOnly: readonly string[] = [],
): T {
  const locked = [...ALWAYS_READ_ONLY, ...readOnly];
  for (const op of patch) {
    for (const p of [op.path, op.from].filter((x): x is string => x !== undefined)) {
      if (op.op === "test" && p === op.path) continue;
      if (locked.some((l) => p === l || p.startsWith(`${l}/`)))
        throw new DomainError("BAD_REQUEST", `${p} is read-only and cannot be changed by a patch.`);
    }
  }
  const copy = structuredClone(doc);
  try {
    return jsonpatch.applyPatch(copy, patch as Operation[], true, true).newDocument as T;
  } catch (e) {
    const err = e as { name?: string; message?: string; operation?: { path?: string } };
    if (err.name === "TEST_OPERATION_FAILED")
      throw new DomainError("UNPROCESSABLE", `The test operation at ${err.operation?.path ?? "?"} failed.`);
    throw new DomainError(
      "BAD_REQUEST",
      `The patch cannot be applied: ${err.message?.split("\n")[0] ?? "invalid"}.`,
    );
  }
}
