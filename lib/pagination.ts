import { DomainError } from "./errors.ts";
import { findUnsafeText } from "./text.ts";

/** base64url of a value's UTF-8 JSON: the opaque form of every cursor. */
export function encodeOpaque(value: unknown): string {
  // Through UTF-8 bytes: btoa alone throws on any character above U+00FF (a project named "Zürich").
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Reverses {@link encodeOpaque}. Returns undefined for anything that is not base64url of UTF-8
 * JSON, or whose strings could not be stored (lib/text.ts) — a crafted cursor never reaches a query.
 */
export function decodeOpaque(s: string): unknown {
  try {
    const binary = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return findUnsafeText(value, "cursor") ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Encodes a keyset position as an opaque cursor. */
export const encodeCursor = (key: Record<string, string | number>): string => encodeOpaque(key);

/** Decodes a cursor; a tampered or foreign cursor (or one holding unstorable text) is a 400. */
export function decodeCursor(cursor: string | undefined): Record<string, string | number> | null {
  if (!cursor) return null;
  const parsed = decodeOpaque(cursor);
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
    return parsed as Record<string, string | number>;
  throw new DomainError(
    "BAD_REQUEST",
    "The cursor is invalid; use next_cursor from a previous page unchanged.",
    [{ location: "query.cursor", message: "not a cursor this server issued" }],
  );
}

/** One page of a list: its items and the cursor of the next page (null on the last). */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Splits `limit + 1` fetched rows into a page; `keyOf` gives the keyset position of the last item,
 * encoded as the next page's cursor.
 */
export function pageFrom<T>(
  rows: T[],
  limit: number,
  keyOf: (last: T) => Record<string, string | number>,
): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** Decodes a list cursor and checks the keys it must hold; a tampered one is a 400. */
export function cursorKey<K extends string>(
  cursor: Record<string, string | number> | null,
  shape: Record<K, "string" | "number">,
): Record<K, string | number> | null {
  if (!cursor) return null;
  for (const [k, t] of Object.entries(shape)) {
    if (typeof cursor[k] !== t)
      throw new DomainError(
        "BAD_REQUEST",
        "The cursor is invalid; use next_cursor from a previous page unchanged.",
      );
  }
  return cursor as Record<K, string | number>;
}
