import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type Page, pageFrom } from "../pagination.ts";

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

/** Sets the RFC 8288 `Link: rel="next"` header of a page and returns the page. */
export function linkNext<T>(c: Context, page: Page<T>, limit: number): Page<T> {
  if (page.next_cursor) {
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", page.next_cursor);
    url.searchParams.set("limit", String(limit));
    c.header("Link", `<${url.pathname}${url.search}>; rel="next"`);
  }
  return page;
}

/**
 * Splits `limit + 1` fetched rows into a page and sets the `Link` header (routes not yet on verbs;
 * verbs return a {@link Page} and the route calls {@link linkNext}).
 */
export function finishPage<T>(
  c: Context,
  rows: T[],
  limit: number,
  keyOf: (last: T) => Record<string, string | number>,
): Page<T> {
  return linkNext(c, pageFrom(rows, limit, keyOf), limit);
}
