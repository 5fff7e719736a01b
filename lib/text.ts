import type { FieldError } from "./errors.ts";

// Text every door accepts. PostgreSQL cannot store U+0000 in text or agtype, and an unpaired UTF-16
// surrogate has no UTF-8 encoding, so either would fail deep in a query as a 500. Doors (the HTTP
// validation hook, cursor decoding, MCP tool arguments, webhook payloads) call `findUnsafeText` on
// what they accept, so the answer is one 400 naming the field, decided here.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as text, or null when it can. */
export function unsafeTextReason(s: string): string | null {
  if (s.includes("\u0000")) return "contains the NUL character (U+0000), which cannot be stored; remove it";
  const m = LONE_SURROGATE.exec(s);
  if (m)
    return `contains an unpaired UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16).toUpperCase()}) at position ${m.index}, which is not valid Unicode text`;
  return null;
}

/**
 * Walks a decoded input value (strings, arrays, objects — keys included) and returns the first
 * place holding text that cannot be stored, as a field error at `location` (e.g. `json.name`,
 * `param.id`, `query.q`), or null when every string is storable.
 */
export function findUnsafeText(value: unknown, location: string, depth = 0): FieldError | null {
  if (typeof value === "string") {
    const reason = unsafeTextReason(value);
    return reason ? { location, message: reason } : null;
  }
  // Inputs are parsed JSON, query strings or path segments; 64 levels is far past any real one
  // and keeps a hostile, deeply nested body from exhausting the stack.
  if (depth > 64 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${location}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value instanceof Date) return null;
  for (const [k, v] of Object.entries(value)) {
    const keyReason = unsafeTextReason(k);
    if (keyReason) return { location: `${location}.${JSON.stringify(k)}`, message: `key ${keyReason}` };
    const found = findUnsafeText(v, `${location}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}
