import type { Context } from "hono";
import { AnalyticsQueryError } from "../../lib/analytics/index.ts";
import type { AppEnv } from "../../lib/app.ts";
import { ApiError } from "../../lib/errors.ts";

/**
 * Runs an analytics read. A bad query is the client's 400; anything else means the analytics store
 * is unreachable, which is a 503 telling the caller what still works and when to retry.
 */
export async function analyticsRead<T>(c: Context<AppEnv>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AnalyticsQueryError)
      throw new ApiError({ code: "BAD_REQUEST", detail: `The query is invalid: ${e.message}` });
    c.get("services").log.warn("analytics read failed", {
      error: e instanceof Error ? e.message : String(e),
    });
    throw new ApiError({
      code: "SERVICE_UNAVAILABLE",
      detail:
        "The analytics store (ClickHouse) is unreachable, so the operations log, events and score history " +
        "cannot be read right now. New entries are still accepted and appear once it is back; retry shortly " +
        "and check GET /api/status.",
      headers: { "Retry-After": "30" },
    });
  }
}

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
): { data: T[]; next_cursor: string | null } {
  if (page.nextCursor) {
    const url = new URL(c.req.url);
    url.searchParams.set("cursor", page.nextCursor);
    url.searchParams.set("limit", String(limit));
    c.header("Link", `<${url.pathname}${url.search}>; rel="next"`);
  }
  return { data: page.data, next_cursor: page.nextCursor };
}
