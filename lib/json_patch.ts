import jsonpatch, { type Operation } from "fast-json-patch";
import { z } from "zod";
import { DomainError } from "./errors.ts";

// A JSON Pointer (RFC 6901) to a member: one or more `/`-prefixed tokens, `~` escaped as ~0 or ~1.
const POINTER = /^(\/([^~/]|~[01])*)+$/;
const pointer = (description: string, example: string) =>
  z
    .string()
    .max(1024)
    .regex(POINTER, "must be a JSON Pointer such as /name (starting with /; ~0 and ~1 escape ~ and /)")
    .meta({ description, example });
const Path = pointer("JSON Pointer to the target", "/name");

// One object per operation shape, so the document says what each op needs (`value` for
// add/replace/test, `from` for move/copy) and generated clients and fuzzers agree with the server.
// RFC 6902 §4 has members an operation does not define ignored, so they are allowed (and unused).
const ignored = (what: string) =>
  z
    .unknown()
    .optional()
    .meta({ description: `Ignored: ${what}` });
const ValueOp = z
  .object({
    op: z.enum(["add", "replace", "test"]).meta({ description: "Operation", example: "replace" }),
    path: Path,
    value: z
      .unknown()
      .refine((v) => v !== undefined, "is required for add, replace and test")
      .meta({ description: "The value to add, set or compare", example: "New name" }),
    from: ignored("only move and copy read `from`"),
  })
  .strict()
  .meta({ id: "JsonPatchValueOperation", required: ["op", "path", "value"] });
const RemoveOp = z
  .object({
    op: z.literal("remove").meta({ description: "Operation", example: "remove" }),
    path: Path,
    value: ignored("remove takes no value"),
    from: ignored("only move and copy read `from`"),
  })
  .strict()
  .meta({ id: "JsonPatchRemoveOperation" });
const FromOp = z
  .object({
    op: z.enum(["move", "copy"]).meta({ description: "Operation", example: "copy" }),
    from: pointer("JSON Pointer to the source", "/name"),
    path: Path,
    value: ignored("move and copy take no value"),
  })
  .strict()
  .meta({ id: "JsonPatchFromOperation" });

/** One RFC 6902 operation. */
export const JsonPatchOperationSchema = z.discriminatedUnion("op", [ValueOp, RemoveOp, FromOp]).meta({
  id: "JsonPatchOperation",
  description: "One operation: add/replace/test carry `value`, move/copy `from`",
});

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
  .meta({ id: "JsonPatch", description: "RFC 6902 operations applied in order, atomically" });
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
