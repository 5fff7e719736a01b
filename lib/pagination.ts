import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { DomainError } from "./errors.ts";

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

/** Encodes a keyset position as an opaque cursor. */
export function encodeCursor(key: Record<string, string | number>): string {
  return btoa(JSON.stringify(key)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes a cursor; a tampered or foreign cursor is a 400. */
export function decodeCursor(cursor: string | undefined): Record<string, string | number> | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, string | number>;
  } catch {
    // fall through
  }
  throw new DomainError(
    "BAD_REQUEST",
    "The cursor is invalid; use next_cursor from a previous page unchanged.",
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
