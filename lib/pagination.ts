import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { DomainError } from "./errors.ts";
import { findUnsafeText } from "./text.ts";

/** `limit` and `cursor` query parameters shared by every list. */
export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: "Page size (1..500)", example: 50, param: { in: "query", name: "limit" } }),
  cursor: z.string().max(512).optional().openapi({
    description: "Opaque cursor from the previous page's next_cursor",
    example: "eyJrIjoiYWxpY2UifQ",
  }),
});

/** Wraps a list page's items with its next cursor. */
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      data: z.array(item).openapi({ description: "The items of this page" }),
      next_cursor: z.string().nullable().openapi({
        description: "Pass as `cursor` to get the next page; null on the last page",
        example: null,
      }),
    })
    .openapi(name);

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

/**
 * Splits `limit + 1` fetched rows into a page and sets the RFC 8288 `Link: rel="next"` header.
 * `keyOf` gives the keyset position of the last item.
 */
export function finishPage<T>(
  c: Context,
  rows: T[],
  limit: number,
  keyOf: (last: T) => Record<string, string | number>,
): { data: T[]; next_cursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  const next = rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null;
  if (next) {
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", next);
    url.searchParams.set("limit", String(limit));
    c.header("Link", `<${url.pathname}${url.search}>; rel="next"`);
  }
  return { data, next_cursor: next };
}
