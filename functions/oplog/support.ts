import type { Context } from "hono";
import type { AppEnv } from "../../lib/http/app.ts";
import { linkNext } from "../../lib/http/pagination.ts";
import type { Page } from "../../lib/pagination.ts";

/** Renames the API's `since`/`until` to the store's half-open `from`/`to`. */
export function timeRange<Q extends { since?: string; until?: string }>(
  q: Q,
): Omit<Q, "since" | "until"> & { from?: string; to?: string } {
  const { since, until, ...rest } = q;
  return { ...rest, from: since, to: until };
}

/** Sets the RFC 8288 `Link: rel="next"` header of a store page and returns the wire envelope. */
export function pageBody<T>(
  c: Context<AppEnv>,
  page: { data: T[]; nextCursor: string | null },
  limit: number,
): Page<T> {
  return linkNext(c, { data: page.data, next_cursor: page.nextCursor }, limit);
}
