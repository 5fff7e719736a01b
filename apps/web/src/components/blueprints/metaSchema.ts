// The server's rule for a blueprint's schema (components.schemas.BlueprintJsonSchema in
// docs/openapi.json), copied into metaSchema.json so the editor checks drafts without loading the
// whole API document. A test compares the copy with the spec, so a changed rule fails there.
import meta from "./metaSchema.json";

export const BLUEPRINT_META_SCHEMA: Record<string, unknown> = meta;
